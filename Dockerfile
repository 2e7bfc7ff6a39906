# LogQueue broker on the official Payara Micro image.
#   docker build -t logqueue .
#   docker run -p 8080:8080 -v logqueue-data:/opt/payara/data logqueue                  (embedded H2)
#   docker run -p 8080:8080 -e LOGQUEUE_DB=postgresql -e LOGQUEUE_DB_HOST=db \
#     -e LOGQUEUE_DB_NAME=logqueue -e LOGQUEUE_DB_USER=logqueue -e LOGQUEUE_DB_PASSWORD=... logqueue
# Every setting is an environment variable: see README.md, "Configuration".

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
EXPOSE 8080
ENTRYPOINT ["tini", "--", "sh", "/opt/payara/logqueue/config/run.sh"]
CMD []
