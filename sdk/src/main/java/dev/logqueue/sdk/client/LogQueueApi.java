package dev.logqueue.sdk.client;

import dev.logqueue.sdk.client.Bodies.AckRequest;
import dev.logqueue.sdk.client.Bodies.Acked;
import dev.logqueue.sdk.client.Bodies.AgeChange;
import dev.logqueue.sdk.client.Bodies.Appended;
import dev.logqueue.sdk.client.Bodies.Batch;
import dev.logqueue.sdk.client.Bodies.BatchConsumeRequest;
import dev.logqueue.sdk.client.Bodies.BatchProduceRequest;
import dev.logqueue.sdk.client.Bodies.Browsed;
import dev.logqueue.sdk.client.Bodies.BytesChange;
import dev.logqueue.sdk.client.Bodies.ConsumeRequest;
import dev.logqueue.sdk.client.Bodies.Consumed;
import dev.logqueue.sdk.client.Bodies.ConsumerRegistered;
import dev.logqueue.sdk.client.Bodies.LeaseRequest;
import dev.logqueue.sdk.client.Bodies.Leased;
import dev.logqueue.sdk.client.Bodies.NewTopic;
import dev.logqueue.sdk.client.Bodies.ProduceRequest;
import dev.logqueue.sdk.client.Bodies.Produced;
import dev.logqueue.sdk.client.Bodies.ProducerRegistered;
import dev.logqueue.sdk.client.Bodies.RegisterRequest;
import dev.logqueue.sdk.client.Bodies.RetentionChange;
import dev.logqueue.sdk.client.Bodies.Size;
import dev.logqueue.sdk.client.Bodies.Success;
import dev.logqueue.sdk.client.Bodies.TopicAnswer;
import dev.logqueue.sdk.client.Bodies.TopicRequest;
import dev.logqueue.sdk.client.Bodies.Topics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The broker's HTTP API (v1, and v2's produce ids, explicit consumers, retention and the topics'
 * lifecycle) as a MicroProfile typed REST client.
 *
 * <p>Inject it with {@code @Inject @RestClient LogQueueApi} and configure its address with {@code
 * logqueue/mp-rest/url} (MicroProfile Config), or build one with {@code RestClientBuilder}. A
 * failure answer becomes a typed {@link dev.logqueue.sdk.LogQueueException} chosen by its {@code
 * error} code; a broker that cannot be reached is a {@code jakarta.ws.rs.ProcessingException} (the
 * facades turn it into {@link dev.logqueue.sdk.BrokerUnavailableException}). A broker that asks for
 * bearer tokens gets the one in {@code logqueue.token} (MicroProfile Config); HTTPS with a private
 * certificate takes {@code logqueue/mp-rest/trustStore} and {@code trustStorePassword}.
 *
 * <p>Consume uses the POST form: a consume moves the consumer's offset, and no client library
 * retries a POST on its own.
 */
@RegisterRestClient(configKey = "logqueue")
@RegisterProvider(FailureMapper.class)
@RegisterProvider(ConfiguredToken.class)
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface LogQueueApi extends AutoCloseable {

  @GET
  @Path("status")
  Success status();

  @POST
  @Path("topics")
  Success createTopic(NewTopic topic);

  @GET
  @Path("topics")
  Topics topics();

  /** The topics' names, and with {@code details} true each topic's details as {@link #topic}. */
  @GET
  @Path("topics")
  Topics topics(@QueryParam("details") boolean details);

  /**
   * Up to {@code max} messages of a topic, oldest first, read without a consumer: from {@code
   * offset}, or from the first appended at or after {@code timestamp}, or (both null) the newest.
   */
  @GET
  @Path("topics/{name}/messages")
  Browsed messages(
      @PathParam("name") String name,
      @QueryParam("offset") Long offset,
      @QueryParam("timestamp") Long timestamp,
      @QueryParam("max") int max);

  /** A topic's retained range, retention, producers and consumers. */
  @GET
  @Path("topics/{name}")
  TopicAnswer topic(@PathParam("name") String name);

  /** Changes a topic's retention; the answer is the topic. */
  @PUT
  @Path("topics/{name}")
  TopicAnswer setRetention(@PathParam("name") String name, RetentionChange retention);

  /** Changes a topic's retention by age only; the answer is the topic. */
  @PUT
  @Path("topics/{name}")
  TopicAnswer setRetention(@PathParam("name") String name, AgeChange age);

  /** Changes a topic's retention by bytes only; the answer is the topic. */
  @PUT
  @Path("topics/{name}")
  TopicAnswer setRetention(@PathParam("name") String name, BytesChange bytes);

  /** Deletes a topic, its producers, consumers and messages. */
  @DELETE
  @Path("topics/{name}")
  Success deleteTopic(@PathParam("name") String name);

  @DELETE
  @Path("topics/{name}/consumers/{id}")
  Success deleteConsumer(@PathParam("name") String name, @PathParam("id") long consumerId);

  @POST
  @Path("producer/register")
  ProducerRegistered registerProducer(TopicRequest topic);

  @POST
  @Path("producer/produce")
  Produced produce(ProduceRequest message);

  @POST
  @Path("producer/produce")
  CompletionStage<Produced> produceAsync(ProduceRequest message);

  /** Appends the messages in order, all or none. */
  @POST
  @Path("producer/produce")
  Appended produceBatch(BatchProduceRequest messages);

  @POST
  @Path("producer/produce")
  CompletionStage<Appended> produceBatchAsync(BatchProduceRequest messages);

  @POST
  @Path("consumer/register")
  ConsumerRegistered registerConsumer(TopicRequest topic);

  /** Registers with v2 fields: a durable name, a start, explicit acknowledgement. */
  @POST
  @Path("consumer/register")
  ConsumerRegistered registerConsumer(RegisterRequest consumer);

  @POST
  @Path("consumer/consume")
  Consumed consume(ConsumeRequest consumer);

  /** An explicit consumer's consume: records leased to it, after acknowledging earlier ones. */
  @POST
  @Path("consumer/consume")
  Leased lease(LeaseRequest consumer);

  @POST
  @Path("consumer/ack")
  Acked ack(AckRequest acks);

  /** Up to max messages, waiting up to wait_ms for the first; an empty batch is no failure. */
  @POST
  @Path("consumer/consume")
  Batch consumeBatch(BatchConsumeRequest consumer);

  @POST
  @Path("size")
  Size size(ConsumeRequest consumer);

  /** Releases the client's connections (the MicroProfile Rest Client proxies are closeable). */
  @Override
  void close();
}
