"""The agreement PDF engine: plain data in (document.py), a blank signable PDF and a signed copy out
(pdf.py), sealed (seal.py) and checked (verify.py). It knows no models: the agreement services build an
`AgreementDocument` from a version and a school, and store what comes back."""
