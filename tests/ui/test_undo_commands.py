"""The generic add / update / delete undo commands, over the real actions and people services."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import actions, people
from app.services.dto import ActionInput
from app.ui.context import ReviewContext
from app.ui.undo_commands import AddRowCommand, DeleteRowCommand, UpdateRowCommand

MERGE_ID = 0x5445  # any id of our own


@pytest.fixture
def ctx(store, consented_review, actor):
    context = ReviewContext(store, consented_review.id, actor=actor)
    context.kinds = []  # what ctx.changed said, in order
    context.messages = []
    context.changed.connect(context.kinds.append)
    context.message.connect(context.messages.append)
    return context


def listed(ctx):
    return actions.list_actions(ctx.store, ctx.review_id)


def add_command(ctx, what: str, *, strict: bool = True) -> AddRowCommand:
    return AddRowCommand(
        ctx, "Add action", changed="actions",
        add=lambda store, actor: actions.add_action(store, ctx.review_id, ActionInput(what=what), actor),
        restore=actions.restore_action, delete=actions.delete_action, strict=strict,
    )


def update_command(ctx, action_id: int, changes, before=None, **options) -> UpdateRowCommand:
    return UpdateRowCommand(
        ctx, "Edit action", action_id, changes, before, changed="actions",
        update=actions.update_action, read=actions.get_action, **options,
    )


def delete_command(ctx, action_id: int, *, row=None, strict: bool = True) -> DeleteRowCommand:
    return DeleteRowCommand(
        ctx, "Delete action", action_id, changed="actions",
        delete=actions.delete_action, restore=actions.restore_action, row=row, strict=strict,
    )


def seed(ctx, *whats: str):
    return [actions.add_action(ctx.store, ctx.review_id, ActionInput(what=w), ctx.actor) for w in whats]


# Add -----------------------------------------------------------------------------------------


def test_add_then_undo_then_redo_brings_back_the_same_row(ctx):
    seed(ctx, "Book the follow-up")
    command = add_command(ctx, "Refer to advocacy")
    ctx.undo_stack.push(command)
    added = command.result
    assert added is not None and added.what == "Refer to advocacy"
    assert [a.what for a in listed(ctx)] == ["Book the follow-up", "Refer to advocacy"]
    assert ctx.undo_stack.count() == 1 and ctx.undo_stack.undoText() == "Add action"

    ctx.undo_stack.undo()
    assert [a.what for a in listed(ctx)] == ["Book the follow-up"]
    ctx.undo_stack.redo()
    [_, back] = listed(ctx)
    assert (back.id, back.position, back.what) == (added.id, added.position, added.what)
    assert ctx.kinds == ["actions"] * 3


def test_a_refused_add_leaves_no_undo_step_and_one_message(ctx):
    command = add_command(ctx, "   ")
    ctx.undo_stack.push(command)
    assert command.result is None
    assert ctx.undo_stack.count() == 0
    assert ctx.messages == ["Say what will be done."]
    assert ctx.kinds == [] and listed(ctx) == []


@pytest.mark.parametrize("strict, expected", [(True, "Refer to advocacy today"), (False, "Refer to advocacy")])
def test_strict_add_keeps_later_edits_when_the_row_comes_back(ctx, strict, expected):
    command = add_command(ctx, "Refer to advocacy", strict=strict)
    ctx.undo_stack.push(command)
    # An autosaved edit that is not on the stack.
    actions.update_action(ctx.store, command.result.id, ctx.actor, what="Refer to advocacy today")
    ctx.undo_stack.undo()
    ctx.undo_stack.redo()
    assert [a.what for a in listed(ctx)] == [expected]


@pytest.mark.parametrize("strict, steps", [(True, 0), (False, 1)])
def test_strict_add_drops_itself_when_a_later_undo_is_refused(ctx, strict, steps):
    command = add_command(ctx, "Refer to advocacy", strict=strict)
    ctx.undo_stack.push(command)
    actions.delete_action(ctx.store, command.result.id, ctx.actor)  # gone behind the stack's back
    ctx.undo_stack.undo()
    assert ctx.messages == ["That action has already been deleted."]
    assert ctx.undo_stack.count() == steps


# Update --------------------------------------------------------------------------------------


def test_update_reads_before_then_undo_and_redo_swap_values(ctx):
    [action] = seed(ctx, "Book the follow-up")
    command = update_command(ctx, action.id, {"why": "So the family can come", "owner_name": "Priya Shah"})
    ctx.undo_stack.push(command)
    assert command.before == {"why": "", "owner_name": ""}
    assert command.result.why == "So the family can come"
    ctx.undo_stack.undo()
    now = actions.get_action(ctx.store, action.id)
    assert (now.why, now.owner_name) == ("", "")
    ctx.undo_stack.redo()
    assert actions.get_action(ctx.store, action.id).owner_name == "Priya Shah"
    assert ctx.kinds == ["actions"] * 3


def test_update_uses_the_before_values_it_is_given(ctx):
    [action] = seed(ctx, "Book the follow-up")
    command = update_command(ctx, action.id, {"what": "Book the review"}, {"what": "Book the follow-up"})
    ctx.undo_stack.push(command)
    ctx.undo_stack.undo()
    assert actions.get_action(ctx.store, action.id).what == "Book the follow-up"


def test_a_refused_update_leaves_no_step_and_changes_nothing(ctx):
    [action] = seed(ctx, "Book the follow-up")
    ctx.undo_stack.push(update_command(ctx, action.id, {"deadline": date(2020, 1, 1)}))
    assert ctx.undo_stack.count() == 0
    assert len(ctx.messages) == 1 and "before the review date" in ctx.messages[0]
    assert actions.get_action(ctx.store, action.id).deadline is None


def test_an_update_of_a_deleted_row_leaves_no_step(ctx):
    [action] = seed(ctx, "Book the follow-up")
    actions.delete_action(ctx.store, action.id, ctx.actor)
    ctx.undo_stack.push(update_command(ctx, action.id, {"what": "Anything"}))
    assert ctx.undo_stack.count() == 0
    assert len(ctx.messages) == 1


def test_updates_merge_only_with_a_merge_id(ctx):
    [action] = seed(ctx, "Book")
    for what in ("Book the", "Book the follow-up"):
        ctx.undo_stack.push(update_command(ctx, action.id, {"what": what}))
    assert ctx.undo_stack.count() == 2

    ctx.undo_stack.clear()
    for what in ("Book the review", "Book the review now"):
        ctx.undo_stack.push(update_command(ctx, action.id, {"what": what}, merge_id=MERGE_ID))
    ctx.undo_stack.push(update_command(ctx, action.id, {"why": "Soon"}, merge_id=MERGE_ID))  # other field
    assert ctx.undo_stack.count() == 2
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert actions.get_action(ctx.store, action.id).what == "Book the follow-up"


def test_typing_back_to_the_start_leaves_no_merged_step(ctx):
    [action] = seed(ctx, "Book")
    for what in ("Book it", "Book"):
        ctx.undo_stack.push(update_command(ctx, action.id, {"what": what}, merge_id=MERGE_ID))
    assert ctx.undo_stack.count() == 0
    assert actions.get_action(ctx.store, action.id).what == "Book"


def test_skip_no_change_drops_an_update_to_what_is_there(ctx):
    [action] = seed(ctx, "Book")
    ctx.undo_stack.push(update_command(ctx, action.id, {"what": "Book"}, skip_no_change=True))
    assert ctx.undo_stack.count() == 0
    ctx.undo_stack.push(update_command(ctx, action.id, {"what": "Book"}))
    assert ctx.undo_stack.count() == 1


def test_update_with_current_overridden_reads_people(ctx):
    person = people.add_attendee(ctx.store, ctx.review_id, ctx.actor, name="Priya Shah", role="care_coordinator")

    class UpdatePerson(UpdateRowCommand):
        def current(self):
            return next(a for a in people.list_attendees(self.ctx.store, self.ctx.review_id) if a.id == self.row_id)

    ctx.undo_stack.push(
        UpdatePerson(ctx, "Edit attendee", person.id, {"organisation": "CQC"}, changed="people",
                     update=people.update_attendee)
    )
    assert people.list_attendees(ctx.store, ctx.review_id)[0].organisation == "CQC"
    ctx.undo_stack.undo()
    assert people.list_attendees(ctx.store, ctx.review_id)[0] == person
    assert ctx.kinds == ["people", "people"]


# Delete --------------------------------------------------------------------------------------


def test_delete_then_undo_restores_the_same_row_in_its_place(ctx):
    first, second, third = seed(ctx, "One", "Two", "Three")
    command = delete_command(ctx, second.id)
    ctx.undo_stack.push(command)
    assert command.removed == second
    assert [a.what for a in listed(ctx)] == ["One", "Three"]
    ctx.undo_stack.undo()
    assert listed(ctx) == [first, second, third]
    ctx.undo_stack.redo()
    assert [a.what for a in listed(ctx)] == ["One", "Three"]
    assert ctx.kinds == ["actions"] * 3


def test_a_refused_delete_leaves_no_step(ctx):
    [action] = seed(ctx, "One")
    actions.delete_action(ctx.store, action.id, ctx.actor)
    command = delete_command(ctx, action.id, row=action, strict=False)  # even when not strict
    ctx.undo_stack.push(command)
    assert ctx.undo_stack.count() == 0
    assert len(ctx.messages) == 1 and ctx.kinds == []


@pytest.mark.parametrize("strict, steps", [(True, 0), (False, 1)])
def test_strict_delete_drops_itself_when_a_later_redo_is_refused(ctx, strict, steps):
    [action] = seed(ctx, "One")
    ctx.undo_stack.push(delete_command(ctx, action.id, row=action, strict=strict))
    ctx.undo_stack.undo()
    actions.delete_action(ctx.store, action.id, ctx.actor)  # gone again behind the stack's back
    ctx.undo_stack.redo()
    assert len(ctx.messages) == 1
    assert ctx.undo_stack.count() == steps
