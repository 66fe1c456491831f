"""The summary pipeline, one module per stage, run in this order by ``pipeline.summarize_document``:

prepare (clean text, sentences, pages, language) → select (what the model reads, and in which mode) →
generate (prompts and the model's text) → check (figures, in ``assistant.trust.checks``) → present (quotes of
left-out figures, the mode line).
"""
