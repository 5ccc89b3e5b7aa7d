"""Use cases: one unit of work per user action. No Qt here.

Modules: store (sessions), reviews, people, notes, sections, actions, drafts, audit.
"""
