"""The review's lifecycle: screening, timetable, reviewers, action plan and yearly summary."""
