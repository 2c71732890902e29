"""Which team gets a ticket and when a response is due: the routing file and its rules."""
