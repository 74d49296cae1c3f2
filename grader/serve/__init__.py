"""`grader serve`: the class's self-check page in the browser (`grader.serve.app`), an ASGI app
on Starlette and uvicorn, the optional extra `serve` (pip install -e ".[serve]").

`app` builds the app from plain functions (routes as a list, templates in `templates/` beside
it); `workers` grades each upload in a worker process under the time limit; `view` arranges what
the page shows of the student's own lines. The grading is `grader check`'s, and what a student
sees goes through the one reveal policy, `grader.report.reveal`.
"""
