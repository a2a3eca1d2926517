"""Anonymise and personalise: real names to pseudonyms and back, in Word and Excel files."""
