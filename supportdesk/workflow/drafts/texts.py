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

# --- Situations: what is happening, which matters more than the category ---------------------
OUTAGE, SECURITY, DISPUTE = "outage", "security", "dispute"
BUG, HOW_TO, FEATURE = "bug", "how_to", "feature"

# Openings that acknowledge the situation; they replace the category's opening.
SITUATION_OPENINGS = {
    (OUTAGE, FRIENDLY): (
        "Thanks for alerting us. We know this is stopping you and your customers.",
    ),
    (OUTAGE, FORMAL): (
        "Thank you for alerting us. We understand that this is affecting your business and "
        "your customers.",
    ),
    (OUTAGE, EMPATHETIC): (
        "I'm sorry: I know an outage like this hits you and your customers hard, and I "
        "understand the pressure you're under.",
    ),
    (SECURITY, FRIENDLY): ("Thanks for telling us straight away; we're taking this seriously.",),
    (SECURITY, FORMAL): (
        "Thank you for reporting this promptly. We treat possible security incidents with "
        "the utmost seriousness.",
    ),
    (SECURITY, EMPATHETIC): (
        "I'm sorry: finding that someone may have got into your account is unsettling, and "
        "we're taking it seriously.",
    ),
    (DISPUTE, FRIENDLY): ("Thanks for raising this charge with us; let's get it checked.",),
    (DISPUTE, FORMAL): ("Thank you for contacting us about this charge.",),
    (DISPUTE, EMPATHETIC): (
        "I'm sorry about the charge you're questioning; I understand wanting it put right.",
    ),
    (BUG, FRIENDLY): (
        "Thanks for reporting this, and sorry it's getting in your way.",
        "Thanks for letting us know about this problem.",
    ),
    (BUG, FORMAL): ("Thank you for reporting this issue.",),
    (BUG, EMPATHETIC): (
        "I'm sorry you've run into this. It's frustrating when something doesn't work the way "
        "it should.",
    ),
    (HOW_TO, FRIENDLY): ("Thanks for your question, happy to help.",),
    (HOW_TO, FORMAL): ("Thank you for your question.",),
    (HOW_TO, EMPATHETIC): ("Thanks for asking; I'm glad to help you with this.",),
    (FEATURE, FRIENDLY): ("Thanks for the suggestion, we love hearing ideas like this.",),
    (FEATURE, FORMAL): ("Thank you for your suggestion.",),
    (FEATURE, EMPATHETIC): ("Thank you for taking the time to share this idea with us.",),
}

# What happens now, said once after the opening (no outcome or time is promised).
SITUATION_NEXT = {
    (OUTAGE, FRIENDLY): (
        "Our team is investigating it now. You can follow progress on our status page, and "
        "we'll post updates in this thread as we learn more.",
    ),
    (OUTAGE, FORMAL): (
        "Our engineers are investigating the incident. Progress is published on our status "
        "page, and we will update you in this thread as we learn more.",
    ),
    (OUTAGE, EMPATHETIC): (
        "Our team is investigating it now. Our status page shows the latest, and we'll keep "
        "you updated here so you don't have to chase us.",
    ),
    (SECURITY, FRIENDLY): (
        "To be safe, please change your password and sign out of all sessions now. Never "
        "send us your password; we're reviewing the recent activity on the account.",
    ),
    (SECURITY, FORMAL): (
        "As a precaution, please change your password and sign out of all other sessions. "
        "Do not send us your password; we are reviewing the recent account activity.",
    ),
    (SECURITY, EMPATHETIC): (
        "To protect you while we look into it, please change your password and sign out of "
        "all sessions. Please don't send us your password; we're reviewing the recent "
        "activity on the account.",
    ),
    (DISPUTE, FRIENDLY): ("We'll check the charge against your payment records.",),
    (DISPUTE, FORMAL): ("We will review the charge against your payment records.",),
    (DISPUTE, EMPATHETIC): ("We'll go through the charge against your payment records carefully.",),
    (FEATURE, FRIENDLY): ("I've noted it for our product team to consider.",),
    (FEATURE, FORMAL): ("Your suggestion has been recorded for our product team to review.",),
    (FEATURE, EMPATHETIC): ("I've noted it for our product team, so your idea is heard.",),
}
