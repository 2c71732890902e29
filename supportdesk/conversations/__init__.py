"""The conversation with the customer: a ticket's thread (customer messages, agents'
public replies and internal notes), "waiting on customer", the public form, and the
customer's private link to their ticket."""
