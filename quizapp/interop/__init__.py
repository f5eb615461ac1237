"""Moving content and progress in and out of quizapp, UI-free.

- :mod:`quizapp.interop.markup`: deck text (Rich markup) to HTML and Anki's HTML back.
- :mod:`quizapp.interop.cards`: the Anki notes a deck exports to (fields, tags, GUIDs).
- :mod:`quizapp.interop.anki_export`: an ``.apkg`` written with genanki (extra ``anki-export``).
- :mod:`quizapp.interop.tsv`: Anki's text format (``#separator:tab`` …) out.
- :mod:`quizapp.interop.importer`: TSV/CSV (Anki's text export, Quizlet) in, as a user deck TOML.
- :mod:`quizapp.interop.progress_io`: the progress file (JSON Lines) out and merged back in.

It sits between ``quizapp.commands`` and ``quizapp.study`` in the layers and imports no Textual.
"""
