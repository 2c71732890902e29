import pytest

from supportdesk.triage.model.language import looks_english


@pytest.mark.parametrize(
    "text",
    [
        "Mi cuenta está bloqueada y no puedo entrar desde ayer",
        "Mon compte est bloqué depuis hier, je ne peux pas me connecter",
        "Mein Konto ist gesperrt und ich kann mich nicht anmelden",
        "Minha conta está bloqueada, não consigo entrar",
        "Il mio account è bloccato e non riesco ad accedere",
        "Mijn account is geblokkeerd en ik kan niet inloggen",
        "Моя учетная запись заблокирована",
        "账户被锁定了",
        "asdf qwer zxcv uiop hjkl vbnm",
        "",
    ],
)
def test_other_languages_and_noise(text: str) -> None:
    assert not looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "my account is locked",
        "refund pls",
        "Order from La Casa del Sol was charged twice, please refund",
        "I bought the Mi Band from your store and the strap broke",
        "pls help, app no open since update, i try reinstall but same",
        "Problem\nhmm ok so yeah thing",
        "hmm still doesn't load after update, tried twice",
        "Urgent: Immediate assistance required for Cisco Router ISR4331 reboot loop issue "
        "impacting network connectivity. Continuous connectivity losses observed.",
    ],
)
def test_english_including_short_and_non_native(text: str) -> None:
    assert looks_english(text)
