# The example client of docker/compose.yaml: docker/story.sh (curl and jq)
# with nothing pointing it at graphmock but the hosts file and the CA.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl jq ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY docker/story.sh /usr/local/bin/story
CMD ["/usr/local/bin/story"]
