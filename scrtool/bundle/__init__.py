"""The National Panel's bundle, and LibreOffice conversion of Word documents to PDF."""
