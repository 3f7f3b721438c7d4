"""Bringing a journal in from another app (Day One, jrnl, Mini Diary, Markdown
folders, Afterflow) or from Afterglow's own export of everything: read
(`sources.read`) into a plan, previewed, then stored in one transaction
(`apply.apply`)."""
