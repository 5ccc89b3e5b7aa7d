"""The review bundle: one whole review as a versioned JSON document, for transfer and undo.

`dump_review` writes the document, `load_bundle` checks bytes strictly and returns the
document, `import_review` adds it to a database as a new review and `replace_review_contents`
rewrites an existing review from one. See docs/bundle.md.
"""

from app.bundle.document import FORMAT, FORMAT_VERSION, BundleError, dump_review, encode_bundle
from app.bundle.restore import import_review, replace_review_contents
from app.bundle.validate import MAX_BUNDLE_BYTES, load_bundle

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_BUNDLE_BYTES",
    "BundleError",
    "dump_review",
    "encode_bundle",
    "import_review",
    "load_bundle",
    "replace_review_contents",
]
