"""The benchmark (`python -m bench`): accuracy and speed of the assistant, side by side with alternatives.

Every section measures a part written elsewhere (nlu/, knowledge/, actions/, the Rasa model); a section whose
part is missing is reported as skipped with the reason, so the benchmark runs at any stage of the project.
"""
