import { useEffect } from 'react';
import { useBlocker } from 'react-router';

/**
 * While `unsaved`, asks before the user leaves the page: in the app (a link, Back) with a
 * confirmation that names what would be lost, and the browser's own prompt on reload or
 * close (browsers show their own text there).
 */
export function useConfirmLeave(unsaved: boolean, question: string) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsaved && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(question)) blocker.proceed();
    else blocker.reset();
  }, [blocker, question]);

  useEffect(() => {
    if (!unsaved) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved]);
}
