"""The actor knowledge base: heads of state and government with their terms, countries with their demonyms and
seats of government, international organisations with their members; and the resolver that reads an actor
string ("President Erdogan", "the Indian prime minister", "the Kremlin", "NATO") on a day.

Offline and versioned: the facts are the files in ``data/`` (docs/actors.md says where they come from and how to
update them)."""
from newsevents.actors.knowledge import (Country, KnowledgeBase, KnowledgeBaseError, Membership, Organisation,
                                         Person, Term, knowledge_base, normalize)
from newsevents.actors.resolver import TITLES, Resolution, resolve, resolve_all, resolve_leader

__all__ = ["Country", "KnowledgeBase", "KnowledgeBaseError", "Membership", "Organisation", "Person", "Term",
           "TITLES", "Resolution", "knowledge_base", "normalize", "resolve", "resolve_all", "resolve_leader"]
