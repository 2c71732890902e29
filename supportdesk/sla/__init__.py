"""SLA on business hours: targets for first response, next response and resolution, per
priority, counted on each team's calendar, paused while the ticket waits on the customer."""
