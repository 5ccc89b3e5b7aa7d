"""The easy-read report, for the person: big print, short sentences, one idea per line.

Nothing on any page is smaller than 14 pt (the body is 16 pt, headings 22 pt and more).
Every action reads as three lines: "What will happen", "Who will do it", "By when".

The parts: about the review and why it happened; who came; what you told us (the notes the panel
marked for the easy read); what happened since last time (the previous review's actions and their
outcomes, in their plain words); what we found (each headline answer with its reasons); what will
happen next; the next review; and how to ask for help, for another review or for worries to go to
the people in charge (wording per review type, app/report/easyread_words.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer, Table

from app.kloe.roles import role_label
from app.report import easyread_words as words
from app.report import layout
from app.report.document import ReportAction, ReportAttendee, ReportCarried, ReportDocument, ReportToldUs
from app.report.fonts import register_fonts
from app.report.pdf_pages import (
    PORTRAIT,
    Heading,
    PageDecor,
    ReportDocTemplate,
    build_pdf_bytes,
    frame_for,
    shorten,
    write_pdf,
)
from app.report.styles import (
    BORDER,
    NHS_BLUE,
    NHS_GREEN,
    NHS_RED,
    PALE_BLUE,
    PALE_GREY,
    TEXT,
    WARM_YELLOW,
    WHITE,
    EasyReadStyles,
    long_date,
    markup,
    table_style,
)

EASY_READ_MIN_FONT_SIZE = 14
_FOOTER_SIZE = 14

# Plain versions of the standard headline questions; anything else is reworded by _plain_question.
_PLAIN_QUESTIONS = {
    "is the person safe?": "Are you safe?",
    "is the person getting good care and treatment now?": "Are you getting good care now?",
    "is there a plan in place for the person's future?": "Is there a plan for your future?",
    "could the person's care and treatment be provided in the community?":
        "Could you get the care you need outside hospital?",
}
_PLAIN_ANSWERS = {"Yes": "yes", "No": "no", "Partly": "partly"}
# Answer -> (colour, picture, ink on the colour).
_ANSWER_MARKS = {"Yes": (NHS_GREEN, "tick", WHITE), "No": (NHS_RED, "cross", WHITE),
                 "Partly": (WARM_YELLOW, "half", TEXT)}

# What each panel role does, in plain words (keyed by the role's label in the report).
_PLAIN_ROLES = {
    "Chair": "runs the meeting",
    "Independent chair": "runs the meeting",
    "Clinical expert": "an expert in health care",
    "Expert by experience": "knows about care from their own life",
    "CQC Mental Health Act reviewer": "checks that the Mental Health Act is followed",
    "Note-taker": "writes the notes",
    "Family or carer": "your family or carer",
    "Advocate (IMHA)": "your advocate",
    "Responsible clinician": "your doctor in charge",
    "Named nurse": "your named nurse",
    "Care co-ordinator": "your care co-ordinator",
    "Commissioner": "plans and pays for your care",
    "Local authority / social care": "social care",
}
_PRESENT = ("In person", "Remote")
_MODE_LINES = {
    "In person": ("The panel met you in person.",),
    "Virtual": ("The panel met on a video call.",),
    "Hybrid": ("Some people came in person.", "Some people joined on a video call."),
}


class Icon(Flowable):
    """A simple picture drawn with lines and shapes (easy-read documents pair words with pictures)."""

    def __init__(self, kind: str, size: float = 16 * mm, *, badge: bool = True, colour=NHS_BLUE,
                 ink=WHITE) -> None:
        super().__init__()
        self.kind, self.size, self.badge, self.colour, self.ink = kind, size, badge, colour, ink
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's signature
        return self.size, self.size

    def draw(self) -> None:
        c, u = self.canv, self.size
        c.saveState()
        ink = self.colour
        if self.badge:
            c.setFillColor(self.colour)
            c.circle(u / 2, u / 2, u / 2, stroke=0, fill=1)
            ink = self.ink
        c.setStrokeColor(ink)
        c.setFillColor(ink)
        c.setLineCap(1)
        c.setLineJoin(1)
        getattr(self, f"_{self.kind}")(c, u, ink)
        c.restoreState()

    @staticmethod
    def _calendar(c, u, ink) -> None:
        c.setLineWidth(u * 0.05)
        c.roundRect(u * 0.25, u * 0.24, u * 0.5, u * 0.46, u * 0.05, stroke=1, fill=0)
        c.rect(u * 0.25, u * 0.58, u * 0.5, u * 0.12, stroke=0, fill=1)
        for x in (0.36, 0.64):
            c.line(u * x, u * 0.66, u * x, u * 0.77)
        for row in (0.46, 0.34):
            for col in (0.34, 0.47, 0.60):
                c.rect(u * col, u * row, u * 0.07, u * 0.07, stroke=0, fill=1)

    @staticmethod
    def _figure(c, u, cx: float, base: float, scale: float) -> None:
        """A head and shoulders: a half-ellipse body standing on `base`, a round head above it."""
        half_width, body, head = 0.17 * scale, 0.21 * scale, 0.085 * scale
        c.wedge(u * (cx - half_width), u * (base - body), u * (cx + half_width), u * (base + body),
                0, 180, stroke=0, fill=1)
        c.circle(u * cx, u * (base + body + 0.035 + head), u * head, stroke=0, fill=1)

    @classmethod
    def _people(cls, c, u, ink) -> None:
        cls._figure(c, u, 0.63, 0.33, 0.85)
        cls._figure(c, u, 0.40, 0.29, 1.0)

    @classmethod
    def _person(cls, c, u, ink) -> None:
        cls._figure(c, u, 0.5, 0.3, 1.15)

    @staticmethod
    def _search(c, u, ink) -> None:
        c.setLineWidth(u * 0.07)
        c.circle(u * 0.45, u * 0.55, u * 0.16, stroke=1, fill=0)
        c.setLineWidth(u * 0.1)
        c.line(u * 0.57, u * 0.43, u * 0.72, u * 0.28)

    @staticmethod
    def _list(c, u, ink) -> None:
        c.setLineWidth(u * 0.06)
        for y in (0.66, 0.5, 0.34):
            c.circle(u * 0.31, u * y, u * 0.045, stroke=0, fill=1)
            c.line(u * 0.42, u * y, u * 0.72, u * y)

    @staticmethod
    def _tick(c, u, ink) -> None:
        c.setLineWidth(u * 0.1)
        path = c.beginPath()
        path.moveTo(u * 0.28, u * 0.5)
        path.lineTo(u * 0.44, u * 0.34)
        path.lineTo(u * 0.72, u * 0.66)
        c.drawPath(path, stroke=1, fill=0)

    @staticmethod
    def _cross(c, u, ink) -> None:
        c.setLineWidth(u * 0.1)
        c.line(u * 0.33, u * 0.33, u * 0.67, u * 0.67)
        c.line(u * 0.33, u * 0.67, u * 0.67, u * 0.33)

    @staticmethod
    def _half(c, u, ink) -> None:
        c.setLineWidth(u * 0.07)
        c.circle(u * 0.5, u * 0.5, u * 0.22, stroke=1, fill=0)
        c.wedge(u * 0.28, u * 0.28, u * 0.72, u * 0.72, 90, 180, stroke=0, fill=1)

    @staticmethod
    def _dash(c, u, ink) -> None:
        c.setLineWidth(u * 0.1)
        c.line(u * 0.32, u * 0.5, u * 0.68, u * 0.5)

    @staticmethod
    def _arrow(c, u, ink) -> None:
        path = c.beginPath()
        path.moveTo(u * 0.24, u * 0.44)
        path.lineTo(u * 0.52, u * 0.44)
        path.lineTo(u * 0.52, u * 0.32)
        path.lineTo(u * 0.77, u * 0.5)
        path.lineTo(u * 0.52, u * 0.68)
        path.lineTo(u * 0.52, u * 0.56)
        path.lineTo(u * 0.24, u * 0.56)
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    @staticmethod
    def _house(c, u, ink) -> None:
        path = c.beginPath()
        path.moveTo(u * 0.22, u * 0.5)
        path.lineTo(u * 0.5, u * 0.76)
        path.lineTo(u * 0.78, u * 0.5)
        path.close()
        c.drawPath(path, stroke=0, fill=1)
        c.rect(u * 0.3, u * 0.24, u * 0.4, u * 0.28, stroke=0, fill=1)
        c.setFillColor(NHS_BLUE if ink == WHITE else WHITE)
        c.rect(u * 0.45, u * 0.24, u * 0.1, u * 0.16, stroke=0, fill=1)

    @staticmethod
    def _speech(c, u, ink) -> None:
        c.roundRect(u * 0.22, u * 0.4, u * 0.56, u * 0.34, u * 0.08, stroke=0, fill=1)
        path = c.beginPath()
        path.moveTo(u * 0.34, u * 0.42)
        path.lineTo(u * 0.3, u * 0.24)
        path.lineTo(u * 0.48, u * 0.42)
        path.close()
        c.drawPath(path, stroke=0, fill=1)

    @staticmethod
    def _question(c, u, ink) -> None:
        c.setLineWidth(u * 0.09)
        c.arc(u * 0.36, u * 0.46, u * 0.64, u * 0.74, -60, 240)
        c.line(u * 0.57, u * 0.5, u * 0.5, u * 0.44)
        c.line(u * 0.5, u * 0.44, u * 0.5, u * 0.38)
        c.circle(u * 0.5, u * 0.26, u * 0.05, stroke=0, fill=1)


# Carried outcome -> (colour, picture, ink), as the headline answers are marked.
_OUTCOME_MARKS = {"done": (NHS_GREEN, "tick", WHITE), "not_done": (NHS_RED, "cross", WHITE),
                  "in_progress": (WARM_YELLOW, "half", TEXT), "no_longer_relevant": (BORDER, "dash", TEXT)}


# After . ! or ?, before a capital, digit or opening quote; not after an initial ("A.K.") or a title ("Dr.").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)\s+"
                           r"(?=[A-Z0-9\"'\u201c(])")


def _sentences(text: str) -> list[str]:
    """One idea a line: the text split after each full stop, question or exclamation mark."""
    parts = [part.strip() for part in _SENTENCE_END.split(" ".join(text.split()))]
    return [part for part in parts if part] or [text.strip()]


def _no_double_stop(text: str) -> str:
    """'A.K.' + '.' would print 'A.K..': drop the sentence's own full stop in that case."""
    return text[:-1] if text.endswith(".") else text


def _plain_question(question: str) -> str:
    known = _PLAIN_QUESTIONS.get(question.strip().lower())
    if known:
        return known
    text = re.sub(r"\bIs the (young )?person\b", "Are you", question)
    text = re.sub(r"\bthe (young )?person's\b", "your", text)
    text = re.sub(r"\bthe (young )?person\b", "you", text)
    return text


def render_easyread_pdf(doc: ReportDocument, out: Path) -> None:
    """Render the easy-read report to `out` (atomically)."""
    out = Path(out)
    register_fonts()
    styles = EasyReadStyles()
    decor = PageDecor(marking=doc.marking, running_title=f"{shorten(doc.person, 24)}  \u00b7  {long_date(doc.review_date)}",
                      font_size=_FOOTER_SIZE)

    def make_template(stream, total):
        template = ReportDocTemplate(
            stream, decor=decor, total_pages=total, generated_at=doc.generated_at,
            initial_font_size=16, title=f"Easy read report: {doc.person}, {long_date(doc.review_date)}",
            subject=f"Easy read version of the {doc.review_type} report", keywords=[doc.marking],
        )
        template.addPageTemplates([
            PageTemplate(id="page", frames=[frame_for(PORTRAIT, "page")], pagesize=PORTRAIT,
                         onPage=template.decorate),
        ])
        return template

    data = build_pdf_bytes(make_template, lambda: _EasyReadStory(doc, styles).build())
    write_pdf(out, data, None, 1, 1)


class _EasyReadStory:
    def __init__(self, doc: ReportDocument, styles: EasyReadStyles) -> None:
        self.doc = doc
        self.s = styles
        self.width = PORTRAIT[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

    def lines(self, *texts: str, style=None) -> list[Flowable]:
        return [Paragraph(text, style or self.s.body) for text in texts]

    def heading(self, text: str, key: str, icon: str, style=None) -> Table:
        """A heading with its picture on the left; it is also a PDF bookmark."""
        size = 18 * mm
        style = (style or self.s.h1).clone("ERHeadingInRow", spaceBefore=0, spaceAfter=0)
        row = Table([[Icon(icon, size), Heading(markup(text), style, key, text, 0)]],
                    colWidths=[size + 6 * mm, self.width - size - 6 * mm], hAlign="LEFT")
        row.setStyle(table_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8 * mm),
        ], font_size=16))
        row.keepWithNext = 1
        return row

    def subheading(self, text: str, icon: str) -> Table:
        size = 10 * mm
        style = self.s.h2.clone("ERSubheadingInRow", spaceBefore=0, spaceAfter=0)
        row = Table([[Icon(icon, size), Paragraph(markup(text), style)]],
                    colWidths=[size + 3 * mm, self.width - size - 3 * mm], hAlign="LEFT")
        row.setStyle(table_style([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 14),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ], font_size=16))
        row.keepWithNext = 1
        return row

    def build(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self.about()
        story += [PageBreak()]
        story += self.who_came()
        if self.doc.told_us:
            story += [PageBreak()]
            story += self.what_you_told_us()
        if self.doc.carried:
            story += [PageBreak()]
            story += self.since_last_time()
        story += [PageBreak()]
        story += self.what_we_found()
        story += [PageBreak()]
        story += self.what_happens_next()
        story += [CondPageBreak(90 * mm)]
        story += self.next_review()
        story += [PageBreak()]
        story += self.asking_for_help()
        return story

    def about(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story: list[Flowable] = [self.heading("About your review", "about", "house", s.title)]
        story += self.lines(
            "This is an easy read report.",
            f"It is for <b>{markup(_no_double_stop(d.person))}</b>.",
            "It tells you about your review.",
        )
        story.append(self.subheading("What is a review?", "question"))
        story += self.lines(
            "A review is a meeting about your care.",
            "A panel of people came to listen to you.",
            "They looked at how you are cared for.",
            "They wrote down what needs to happen next.",
        )
        story.append(self.subheading("When and where", "calendar"))
        story += self.lines(f"Your review was on <b>{markup(long_date(d.review_date))}</b>.")
        if d.place:
            story += self.lines(f"It was at {markup(d.place)}.")
        story += self.lines(*_MODE_LINES.get(d.mode, ()))
        if d.environment_seen:
            story += self.lines("The panel saw where you live.")
        # Kept in one piece: on the next page when it does not fit, never split after a line or two.
        why: list[Flowable] = [self.subheading("Why we had this review", "question")]
        why += self.lines(*words.why_lines(d.template_id))
        if d.previous_review_date:
            why += self.lines(f"Your last review was on <b>{markup(long_date(d.previous_review_date))}</b>.")
        return story + [KeepTogether(why)]

    def what_you_told_us(self) -> list[Flowable]:
        story: list[Flowable] = [self.heading("What you told us", "told-us", "speech")]
        story += self.lines("The panel listened to you and to people close to you.",
                            "Here are some of the things you told us.")
        story.append(Spacer(1, 3 * mm))
        for note in self.doc.told_us:
            story += [KeepTogether([self.told_box(note)]), Spacer(1, 5 * mm)]
        return story

    def told_box(self, note: ReportToldUs) -> Table:
        s = self.s
        if note.role_id == "person":
            who = "You said:"
        else:
            plain = _PLAIN_ROLES.get(note.role, "")
            name = note.speaker or note.role or "Someone"
            who = f"{markup(name)} ({markup(plain)}) said:" if plain and note.speaker else f"{markup(name)} said:"
        rows = [[Paragraph(f"<b>{who}</b>", s.line)]]
        rows += [[Paragraph(markup(sentence), s.line)] for sentence in _sentences(note.text)]
        table = Table(rows, colWidths=[self.width], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), PALE_GREY),
            ("LINEBEFORE", (0, 0), (0, -1), 6, NHS_BLUE),
            ("LEFTPADDING", (0, 0), (-1, -1), 16),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 12),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ], font_size=16))
        return table

    def since_last_time(self) -> list[Flowable]:
        d = self.doc
        story: list[Flowable] = [self.heading("What happened since last time", "since-last-time", "calendar")]
        when = d.previous_review_date
        story += self.lines(
            f"Your last review was on <b>{markup(long_date(when))}</b>." if when else "You had a review before.",
            "The panel asked people to do some things.",
            "Here is what happened.",
        )
        story.append(Spacer(1, 3 * mm))
        for carried in d.carried:
            story += [KeepTogether([self.carried_box(carried)]), Spacer(1, 5 * mm)]
        return story

    def carried_box(self, carried: ReportCarried) -> Table:
        s = self.s
        what = carried.easy_read.strip() or carried.what
        happened = words.OUTCOME_LINES.get(carried.outcome_code, words.OUTCOME_LINES["pending"])
        colour, picture, ink = _OUTCOME_MARKS.get(carried.outcome_code, (BORDER, "dash", TEXT))
        icon = 9 * mm
        rows = [
            [Icon("list", icon), Paragraph(f"<b>What we said would happen:</b> {markup(what)}", s.line)],
            [Icon(picture, icon, colour=colour, ink=ink), Paragraph(f"<b>What happened:</b> {happened}", s.line)],
        ]
        return self._icon_box(rows, icon)

    def _icon_box(self, rows: list[list], icon: float) -> Table:
        """A pale blue box of lines, each with its picture on the left (an action, a past action)."""
        first = icon + 12 + 4 * mm  # left padding + icon + a gap before the words
        table = Table(rows, colWidths=[first, self.width - first], hAlign="LEFT", splitInRow=1)
        table.setStyle(table_style([
            ("BACKGROUND", (0, 0), (-1, -1), PALE_BLUE),
            ("LINEBEFORE", (0, 0), (0, -1), 6, NHS_BLUE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (0, -1), 12),
            ("LEFTPADDING", (1, 0), (1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, 0), 12),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ], font_size=16))
        return table

    def asking_for_help(self) -> list[Flowable]:
        d = self.doc
        story: list[Flowable] = [self.heading("How to ask for help", "ask-for-help", "people")]
        if d.escalated:
            story += self.lines(f"<b>{words.ESCALATED_LINE}</b>")
        story += self.lines(*words.help_lines(d.template_id))
        story.append(self.subheading("If you are worried", "question"))
        story += self.lines(*words.ESCALATE_LINES)
        contacts = []
        for role_id, start in words.CONTACTS:
            names = [a.name for a in d.attendees if a.role == role_label(role_id) and a.name]
            if names:
                contacts.append(f"{start} <b>{markup(_no_double_stop(' and '.join(names)))}</b>.")
        if contacts:
            story.append(self.subheading("Who to ask", "person"))
            story += self.lines(*contacts)
        return story

    def who_came(self) -> list[Flowable]:
        d = self.doc
        story: list[Flowable] = [self.heading("Who came", "who-came", "people")]
        if d.panel:
            story += self.lines("These people were on the panel:")
            story += [self.person_line(a) for a in d.panel]
        others = [a for a in d.attendees if a.attendance in _PRESENT and a.role != "The person"]
        you_came = any(a.role == "The person" and a.attendance in _PRESENT for a in d.attendees)
        if others or you_came:
            story.append(self.subheading("Other people who came", "people"))
            if you_came:
                story += self.lines("<b>You</b> came too.")
            story += [self.person_line(a) for a in others]
        sent = [a for a in d.attendees if a.attendance == "Sent views beforehand"]
        if sent:
            story.append(self.subheading("People who sent their views", "person"))
            story += self.lines("These people could not come.", "They told the panel what they think before.")
            story += [self.person_line(a) for a in sent]
        if not (d.panel or d.attendees):
            story += self.lines("We did not write down who came.")
        return story

    def person_line(self, a: ReportAttendee) -> Paragraph:
        what = _PLAIN_ROLES.get(a.role, a.role[:1].lower() + a.role[1:] if a.role else "")
        text = f"<b>{markup(a.name)}</b>" + (f": {markup(what)}" if what else "")
        return Paragraph(text, self.s.bullet, bulletText="\u2022")

    def what_we_found(self) -> list[Flowable]:
        d, s = self.doc, self.s
        story: list[Flowable] = [self.heading("What we found", "what-we-found", "search")]
        if not d.headlines:
            return story + self.lines("The panel did not answer any big questions.")
        count = len(d.headlines)
        story += self.lines(f"We asked {count} big question{'s' if count != 1 else ''}.",
                            "Here is what we think.")
        story.append(Spacer(1, 4 * mm))
        mark_size = 13 * mm
        for h in d.headlines:
            plain = _PLAIN_ANSWERS.get(h.answer)
            answer = f"We think: <b>{plain}</b>." if plain else "We have not decided yet."
            colour, picture, ink = _ANSWER_MARKS.get(h.answer, (BORDER, "dash", TEXT))
            question_style = s.h2.clone("ERQuestion", spaceBefore=0, spaceAfter=6)
            said = [Paragraph(markup(_plain_question(h.question)), question_style), Paragraph(answer, s.line)]
            if plain and h.reasons.strip():
                reasons = _sentences(h.reasons)
                said.append(Paragraph(f"<b>Why:</b> {markup(reasons[0])}", s.line))
                said += [Paragraph(markup(sentence), s.line) for sentence in reasons[1:]]
            card = Table([[Icon(picture, mark_size, colour=colour, ink=ink), said]],
                         colWidths=[mark_size + 8 * mm, self.width - mark_size - 8 * mm], hAlign="LEFT",
                         splitInRow=1)
            card.setStyle(table_style([
                ("BACKGROUND", (0, 0), (-1, -1), PALE_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 12),
                ("LEFTPADDING", (1, 0), (1, 0), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ], font_size=16))
            story += [KeepTogether([card]), Spacer(1, 5 * mm)]
        return story

    def what_happens_next(self) -> list[Flowable]:
        d = self.doc
        story: list[Flowable] = [self.heading("What will happen next", "what-next", "arrow")]
        if not d.actions:
            return story + self.lines("The panel did not ask anyone to do anything new.")
        story += self.lines("The panel asked people to do some things.", "Here they are.")
        story.append(Spacer(1, 3 * mm))
        for action in d.actions:
            story += [KeepTogether([self.action_box(action)]), Spacer(1, 5 * mm)]
        return story

    def action_box(self, action: ReportAction) -> Table:
        s = self.s
        what = action.easy_read.strip() or action.what
        when = long_date(action.deadline, "") or "We will tell you"
        who = markup(action.owner) or "We will tell you"
        icon = 9 * mm
        rows = [
            [Icon("list", icon), Paragraph(f"<b>What will happen:</b> {markup(what)}", s.line)],
            [Icon("person", icon), Paragraph(f"<b>Who will do it:</b> {who}", s.line)],
            [Icon("calendar", icon), Paragraph(f"<b>By when:</b> {markup(when)}", s.line)],
        ]
        return self._icon_box(rows, icon)

    def next_review(self) -> list[Flowable]:
        d = self.doc
        story: list[Flowable] = [Spacer(1, 6 * mm), self.heading("Your next review", "next-review", "calendar")]
        if d.next_review_due:
            story += self.lines(f"Your next review will be by <b>{markup(long_date(d.next_review_due))}</b>.")
        else:
            story += self.lines("We will tell you the date of your next review.")
        story.append(self.subheading("Questions?", "question"))
        story += self.lines(
            "You can ask about this report.",
            "Ask someone you trust.",
            "This could be your advocate, your nurse or your family.",
        )
        return story
