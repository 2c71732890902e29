"""The wording of template drafts, per tone (and category). Several phrasings per slot keep
replies from reading like a form letter; none of them promises an outcome or a time."""

from supportdesk.taxonomy import Category

FRIENDLY, FORMAL, EMPATHETIC = "friendly", "formal", "empathetic"
B, T, A, G = Category.BILLING, Category.TECHNICAL, Category.ACCOUNT, Category.GENERAL

GREETINGS = {
    FRIENDLY: ("Hi there,", "Hello,", "Hi,"),
    FORMAL: ("Dear customer,", "Hello,"),
    EMPATHETIC: ("Hi,", "Hello,", "Hi there,"),
}

OPENINGS = {
    (B, FRIENDLY): (
        "Thanks for getting in touch about your billing.",
        "Thanks for reaching out about the charges on your account.",
        "Thanks for writing in about your payment.",
    ),
    (B, FORMAL): (
        "Thank you for contacting us regarding your billing enquiry.",
        "Thank you for your message concerning the charges on your account.",
    ),
    (B, EMPATHETIC): (
        "I'm sorry you've had to get in touch about a billing problem. Charges that don't "
        "look right are stressful, and I understand wanting them cleared up.",
        "I understand how worrying it is when a charge doesn't look right, and I'm sorry "
        "for the trouble.",
    ),
    (T, FRIENDLY): (
        "Thanks for letting us know about this problem.",
        "Thanks for reporting this, and sorry it's getting in your way.",
        "Thanks for flagging this to us.",
    ),
    (T, FORMAL): (
        "Thank you for reporting this technical issue.",
        "Thank you for bringing this issue to our attention.",
    ),
    (T, EMPATHETIC): (
        "I'm sorry you've run into this. It's frustrating when something you rely on "
        "doesn't work the way it should.",
        "I'm sorry for the disruption this is causing you.",
    ),
    (A, FRIENDLY): (
        "Thanks for getting in touch about your account.",
        "Thanks for reaching out about your account.",
    ),
    (A, FORMAL): (
        "Thank you for contacting us regarding your account.",
        "Thank you for your message concerning your account.",
    ),
    (A, EMPATHETIC): (
        "I'm sorry you're having trouble with your account; I know how disruptive that can be.",
        "Account problems are never fun, and I'm sorry you're dealing with one.",
    ),
    (G, FRIENDLY): (
        "Thanks for getting in touch!",
        "Thanks for your message, happy to help.",
        "Thanks for reaching out.",
    ),
    (G, FORMAL): ("Thank you for contacting us.", "Thank you for your enquiry."),
    (G, EMPATHETIC): (
        "Thank you for taking the time to write to us.",
        "Thanks for reaching out; I appreciate you taking the time.",
    ),
}

# Openings that name the ticket's key fact: an order or invoice, or an error code.
OPENINGS_WITH_FACT = {
    (B, FRIENDLY): (
        "Thanks for getting in touch about {fact}.",
        "Thanks for writing in about {fact}.",
    ),
    (B, FORMAL): ("Thank you for contacting us regarding {fact}.",),
    (B, EMPATHETIC): (
        "I'm sorry for the trouble with {fact}. I understand how worrying billing problems can be.",
    ),
    (T, FRIENDLY): (
        "Thanks for reporting the {fact} error you're seeing.",
        "Thanks for sending the error code ({fact}); that really helps.",
    ),
    (T, FORMAL): ("Thank you for reporting the error {fact}.",),
    (T, EMPATHETIC): (
        "I'm sorry you've run into the {fact} error; I know how frustrating that is.",
    ),
    (G, FRIENDLY): ("Thanks for asking about order {fact}.",),
    (G, FORMAL): ("Thank you for your enquiry regarding order {fact}.",),
    (G, EMPATHETIC): ("Thank you for getting in touch about order {fact}.",),
}

FACT_INTROS = {
    FRIENDLY: (
        "Here's what I've noted from your message:",
        "So we're on the same page, here's what I picked up:",
    ),
    FORMAL: (
        "For our records, we have noted the following details:",
        "We have recorded the following details from your message:",
    ),
    EMPATHETIC: (
        "So you don't have to repeat yourself, here's what I've noted:",
        "Here's what I've noted so far:",
    ),
}

INVALID = {
    FRIENDLY: (
        'One thing looks off: the {label} "{raw}" ({reason}). Could you double-check it?',
        'Could you check the {label} "{raw}"? It doesn\'t look right to us ({reason}).',
    ),
    FORMAL: (
        'Please note that the {label} "{raw}" appears to be incorrect ({reason}). '
        "Kindly confirm it.",
    ),
    EMPATHETIC: (
        'The {label} "{raw}" doesn\'t look quite right ({reason}). Would you mind checking it?',
    ),
}

ASKS = {
    ("order", FRIENDLY): (
        "Could you send the order or invoice number, and the amount you were charged? "
        "That makes it much quicker to find the payment.",
    ),
    ("order", FORMAL): (
        "To locate the payment, please provide the order or invoice number and the amount charged.",
    ),
    ("order", EMPATHETIC): (
        "If you can, please send the order or invoice number and the amount, so you won't "
        "need to explain it all again.",
    ),
    ("email", FRIENDLY): (
        "Could you confirm the email address on the account? Please don't include your password.",
    ),
    ("email", FORMAL): (
        "Please confirm the email address associated with the account. For your security, "
        "do not include your password.",
    ),
    ("email", EMPATHETIC): (
        "Could you confirm the email address on the account? For your safety, please "
        "leave your password out of your reply.",
    ),
    ("error", FRIENDLY): (
        "If you see an error message, could you send the exact text or a screenshot, and "
        "the steps that lead to it?",
    ),
    ("error", FORMAL): (
        "If an error message is displayed, please send its exact text or a screenshot, "
        "together with the steps that lead to it.",
    ),
    ("error", EMPATHETIC): (
        "When you have a moment, a screenshot or the exact text of any error message, and "
        "the steps that lead to it, would help us a lot.",
    ),
    ("details", FRIENDLY): (
        "Could you tell us a bit more about what you need? The more detail you share, "
        "the easier it is for us to help.",
    ),
    ("details", FORMAL): (
        "Please provide further details of your request so that we can assist you.",
    ),
    ("details", EMPATHETIC): (
        "Whenever you're ready, could you tell us a little more about what's going on? "
        "Every detail helps.",
    ),
}

ESCALATED = {
    FRIENDLY: (
        "Given the impact you describe, this has been given {priority} priority and passed "
        "to our {team}.",
    ),
    FORMAL: (
        "Owing to the severity of the impact described, your ticket has been given "
        "{priority} priority and escalated to our {team}.",
    ),
    EMPATHETIC: (
        "Because of how serious this is, it has been given {priority} priority and passed "
        "straight to our {team}.",
    ),
}

HANDOVER = {
    FRIENDLY: (
        "Your ticket is with our {team}, and they'll follow up here.",
        "I've passed this to our {team}; they'll reply in this thread.",
    ),
    FORMAL: (
        "Your request has been assigned to our {team}, who will follow up with you in this thread.",
    ),
    EMPATHETIC: (
        "I've passed this to our {team} so it reaches the people who can help; they'll reply here.",
    ),
}

CLOSINGS = {
    FRIENDLY: ("Thanks,", "Thanks for your patience,", "Best,"),
    FORMAL: ("Kind regards,", "Yours sincerely,"),
    EMPATHETIC: ("Thank you for bearing with us,", "Warm regards,"),
}
