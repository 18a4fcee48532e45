"""The bad-input survey's cases, one module a snippets module: `<topic>.py` holds
`cases(root)`, a list of (name, call, expect) as tests/badinput_survey.py's `classify`
takes them. `root` is a scratch folder the cases may write into. The survey finds every
module here by itself; adding a topic's cases is adding its file."""
