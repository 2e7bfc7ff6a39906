# LogQueue broker on the official Payara Micro image.
#   docker build -t logqueue .
#   docker run -p 8080:8080 -v logqueue-data:/opt/payara/data \
#     -v /etc/logqueue/public.pem:/keys/public.pem:ro \
#     -e MP_JWT_VERIFY_PUBLICKEY_LOCATION=/keys/public.pem logqueue                     (embedded H2)
#   docker run -p 8443:8443 -v /etc/logqueue:/keys:ro -e MP_JWT_VERIFY_PUBLICKEY_LOCATION=/keys/public.pem \
#     -e LOGQUEUE_TLS_KEYSTORE=/keys/broker.p12 -e LOGQUEUE_TLS_KEYSTORE_PASSWORD=... -e LOGQUEUE_HTTP=off \
#     -e LOGQUEUE_DB=postgresql -e LOGQUEUE_DB_HOST=db -e LOGQUEUE_DB_PASSWORD=... logqueue
# The broker listens on 0.0.0.0 in the container: it refuses to start without a token key (above)
# unless LOGQUEUE_AUTH=none is set on purpose. Every setting is an environment variable: see
# README.md, "Configuration" and "Security".

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl broker-war -am package -DskipTests -Dspotless.check.skip=true

FROM payara/micro:6.2025.10-jdk17
COPY --from=build /src/broker-war/target/logqueue.war /opt/payara/logqueue/logqueue.war
COPY --from=build /src/broker-war/target/runtime/postgresql.jar /opt/payara/logqueue/postgresql.jar
COPY payara-config/ /opt/payara/logqueue/config/
RUN mkdir -p /opt/payara/data
ENV LOGQUEUE_WAR=/opt/payara/logqueue/logqueue.war \
    LOGQUEUE_MICRO_JAR=/opt/payara/payara-micro.jar \
    LOGQUEUE_POSTGRESQL_JAR=/opt/payara/logqueue/postgresql.jar \
    LOGQUEUE_HOST=0.0.0.0 \
    LOGQUEUE_PORT=8080 \
    LOGQUEUE_DATA_DIR=/opt/payara/data \
    LOGQUEUE_JAVA_OPTS="-XX:MaxRAMPercentage=75"
VOLUME /opt/payara/data
EXPOSE 8080 8443
ENTRYPOINT ["tini", "--", "sh", "/opt/payara/logqueue/config/run.sh"]
CMD []
