"""The easy read's wording that depends on the review type: why the review happened, and how the
person, their family or their advocate can ask for help, for another review, or for their worries
to go to the people in charge. Short sentences, one idea a line, no jargon (a test checks each line
against app/kloe/jargon.toml).
"""

from __future__ import annotations

# Review type id -> why this kind of review happens, said to the person.
WHY: dict[str, tuple[str, ...]] = {
    "icetr": (
        "You have been kept apart from other people for a long time.",
        "Some people came from outside the hospital to check on you.",
        "They looked at whether you still need to be kept apart.",
    ),
    "adult_inpatient": (
        "You are in hospital.",
        "We check your care often while you are there.",
        "We want to help you leave hospital when you are ready.",
    ),
    "cyp_inpatient": (
        "You are in hospital.",
        "We check your care, your learning and your safety often.",
        "We want to help you go home when you are ready.",
    ),
    "adult_community": (
        "People were worried you might have to go into hospital.",
        "We met to find the help you need to stay at home.",
    ),
    "cyp_community": (
        "People were worried you might have to go into hospital.",
        "We met to find the help you need at home and at school.",
    ),
    "post_admission": (
        "You went into hospital.",
        "There was no meeting like this before you went in.",
        "We met to check you are getting the right help.",
    ),
    "post_discharge": (
        "You left hospital.",
        "We met to see how your move is going.",
        "We want to help you stay well at home.",
    ),
    "laep": (
        "Things got very hard very quickly.",
        "People met fast to find help for you.",
    ),
}
WHY_ANY = ("We met to check that your care is right for you.",)

# Review type id -> how to ask for another review of this kind.
ASK_AGAIN: dict[str, tuple[str, ...]] = {
    "icetr": ("You can ask for another check by people from outside the hospital.",),
    "adult_inpatient": ("You can ask for another review at any time, not only on the planned date.",),
    "cyp_inpatient": ("You can ask for another review at any time, not only on the planned date.",),
    "adult_community": ("If things get harder at home, you can ask for another review.",
                        "Ask before you go into hospital, if you can."),
    "cyp_community": ("If things get harder at home or at school, you can ask for another review.",
                      "Ask before you go into hospital, if you can."),
    "post_admission": ("You can ask for another review at any time while you are in hospital.",),
    "post_discharge": ("If things are not going well at home, you can ask for another review.",),
    "laep": ("You can ask for a full review when things are calmer.",),
}
ASK_AGAIN_ANY = ("You can ask for another review at any time.",)

# Who can ask, for every review type.
WHO_CAN_ASK = (
    "You can ask for help.",
    "Your family can ask for you.",
    "Your advocate can ask for you.",
)
# Asking for worries to go to the people in charge (an escalation).
ESCALATE_LINES = (
    "If you are worried about your care, you can ask for your worries to go to the people in charge.",
    "They must listen and tell you what they will do.",
)
ESCALATED_LINE = "The panel has told the people in charge about your care."
YOUNG_PERSON_TYPES = frozenset({"cyp_inpatient", "cyp_community"})
YOUNG_PERSON_LINE = "Your parents or carers can ask for you too."

# Contacts named from the register: role id -> the sentence's start.
CONTACTS = (
    ("advocate", "Your advocate is"),
    ("care_coordinator", "Your care co-ordinator is"),
    ("named_nurse", "Your named nurse is"),
)

# Carried outcome code -> what happened, in plain words.
OUTCOME_LINES = {
    "done": "This was done.",
    "in_progress": "This has started, but it is not finished.",
    "not_done": "This was not done.",
    "no_longer_relevant": "This is not needed any more.",
    "pending": "We do not know yet. We will find out.",
}


def why_lines(template_id: str) -> tuple[str, ...]:
    return WHY.get(template_id, WHY_ANY)


def help_lines(template_id: str) -> tuple[str, ...]:
    lines = [*WHO_CAN_ASK]
    if template_id in YOUNG_PERSON_TYPES:
        lines.append(YOUNG_PERSON_LINE)
    lines += ASK_AGAIN.get(template_id, ASK_AGAIN_ANY)
    return tuple(lines)
