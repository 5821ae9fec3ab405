# The quanze service image (used by docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ontology ontology
COPY graph graph
COPY loaders loaders
COPY api api
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["quanze", "serve", "--host", "0.0.0.0"]
