"""Reading the files a review handles: Word, PDF and spreadsheets, each under one safety policy.

Nothing here imports a check or a job: the checks and jobs read through these modules.
"""
