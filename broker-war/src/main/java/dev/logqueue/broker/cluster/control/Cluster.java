package dev.logqueue.broker.cluster.control;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import dev.logqueue.broker.queue.control.Claims;
import dev.logqueue.broker.queue.control.Placement;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.ConsumerId;
import dev.logqueue.broker.queue.entity.ProducerId;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.store.control.ClusterTables;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * This broker's place in its cluster, or its being alone.
 *
 * <p>In a cluster ({@link ClusterSettings#isClustered()}), the members are those of Payara's data
 * grid that have published the URL they serve at (in the data grid's map {@value #NODES}); a member
 * publishes it once it answers there itself, so a member still starting takes nothing over. A
 * topic's slot is the data grid's partition of its {@link Claims#placementKey(TopicName) placement
 * key}, and the member that serves a slot is the {@link Rendezvous rendezvous} choice among the
 * published members: all members compute the same, and a member that comes or goes moves only its
 * own share. When what a member should serve changes, it claims its slots anew in the store (their
 * epochs rise, which fences the former owner's commits) and the queue reloads them. A member that
 * sees fewer than a majority of the cluster's configured size claims nothing: the other side of a
 * split serves its slots.
 *
 * <p>Alone, it serves every topic ({@link Placement#SINGLE}'s way).
 */
@ApplicationScoped
public class Cluster implements Placement {

  private static final Logger LOG = System.getLogger(Cluster.class.getName());

  /** The data grid's map of each published member's URL, by the member's uuid. */
  static final String NODES = "logqueue-nodes";

  /** How long placement must be still before the members claim anew. */
  static final long SETTLE_MILLIS = 300;

  /** How often a member checks its placement (and, until published, its own URL). */
  static final long CHECK_MILLIS = 500;

  /** How long a member may stay unreachable at its own URL before readiness says why. */
  static final long UNREACHABLE_MILLIS = 30_000;

  @Inject ClusterSettings settings;
  @Inject ClusterTables tables;

  private HazelcastInstance grid;
  private ReplicatedMap<String, String> nodes;
  private ScheduledExecutorService checks;
  private ScheduledFuture<?> pending;
  private HttpClient probe;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> goneListeners = new CopyOnWriteArrayList<>();
  private volatile boolean published;
  private volatile long joinedAt;
  private volatile Set<Integer> claimed;
  private volatile Set<Integer> requested;
  private volatile Claims claims;
  private volatile String problem;

  @PostConstruct
  void join() {
    if (!settings.isClustered()) {
      return;
    }
    try {
      grid = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
    } catch (NamingException | ClassCastException e) {
      grid = null;
    }
    if (grid == null || !grid.getLifecycleService().isRunning()) {
      problem =
          "LOGQUEUE_CLUSTER_MEMBERS is set but Payara's data grid is off: start the broker with"
              + " payara-config/run.sh, or Payara Micro with --clustermode tcpip:... (README,"
              + " Cluster)";
      LOG.log(Level.ERROR, problem);
      grid = null;
      return;
    }
    joinedAt = System.nanoTime();
    nodes = grid.getReplicatedMap(NODES);
    probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    checks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "logqueue-placement");
              thread.setDaemon(true);
              return thread;
            });
    grid.getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                if (published) {
                  nodes.put(localId(), settings.advertisedUrl()); // the newcomer's copy
                }
                moved();
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                String url = nodes.remove(event.getMember().getUuid().toString());
                if (url != null) {
                  goneListeners.forEach(listener -> listener.accept(url));
                }
                moved();
              }
            });
    nodes.addEntryListener(
        new EntryAdapter<String, String>() {
          @Override
          public void onEntryEvent(EntryEvent<String, String> event) {
            moved();
          }

          @Override
          public void onMapEvent(MapEvent event) {
            moved();
          }
        });
    checks.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    LOG.log(
        Level.INFO,
        "Member of a cluster of {0}, to serve at {1}; {2} members seen now",
        settings.size(),
        settings.advertisedUrl(),
        grid.getCluster().getMembers().size());
  }

  @PreDestroy
  void leave() {
    if (checks != null) {
      checks.shutdownNow();
    }
    if (nodes != null && grid.getLifecycleService().isRunning()) {
      try {
        nodes.remove(localId()); // the others take its slots over before it is gone
      } catch (RuntimeException e) {
        // the grid stops too
      }
    }
  }

  /** Whether this member has published its URL: the others may send it requests. */
  public boolean isPublished() {
    return published;
  }

  /** Whether this broker is a member of a cluster (configured as one). */
  public boolean isClustered() {
    return settings.isClustered();
  }

  @Override
  public synchronized Claims claim() {
    if (!settings.isClustered()) {
      return Claims.ALL;
    }
    if (grid == null) {
      throw new StoreException(problem);
    }
    Set<Integer> owned = owned();
    Map<Integer, Long> epochs = tables.claim(owned, settings.advertisedUrl());
    claimed = owned;
    requested = null;
    claims = Claims.of(this::slotOf, epochs, settings.advertisedUrl());
    return claims;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * {@code listener} is told the URL of each member that leaves the data grid (dies, or is cut off
   * from this member) once the grid has given up on it.
   */
  public void onMemberGone(Consumer<String> listener) {
    goneListeners.add(listener);
  }

  @Override
  public long nextId(IdKind kind) {
    return tables.nextId(kind);
  }

  @Override
  public List<TopicName> topicNames() {
    return tables.topicNames();
  }

  @Override
  public Optional<TopicRow> storedTopic(TopicName name) {
    return tables.topic(name);
  }

  @Override
  public Optional<ProducerRow> storedProducer(ProducerId id) {
    return tables.producer(id);
  }

  @Override
  public Optional<ConsumerRow> storedConsumer(ConsumerId id) {
    return tables.consumer(id);
  }

  /** The data grid's partition of a placement key: its slot. */
  int slotOf(String key) {
    return grid.getPartitionService().getPartition(key).getPartitionId();
  }

  /**
   * The member that serves a topic now: empty if it is this one or nobody, else the member and its
   * URL.
   */
  public Optional<Route> route(TopicName topic) {
    if (grid == null) {
      return Optional.empty();
    }
    Map<String, String> urls = publishedMembers();
    String owner = Rendezvous.owner(slotOf(Claims.placementKey(topic)), urls.keySet());
    if (owner == null || owner.equals(localId())) {
      return Optional.empty();
    }
    return Optional.of(new Route(owner, urls.get(owner)));
  }

  /** Where a request goes: a member, and the URL it published (never null). */
  public record Route(String member, String url) {}

  /** The URLs of the other published members. */
  public List<String> otherUrls() {
    if (grid == null) {
      return List.of();
    }
    List<String> urls = new ArrayList<>();
    String local = localId();
    publishedMembers()
        .forEach(
            (member, url) -> {
              if (!member.equals(local)) {
                urls.add(url);
              }
            });
    return urls;
  }

  /**
   * Whether this member serves what it should: published, and the slots it holds (claimed, and
   * loaded by the queue since) are those it should hold now.
   */
  public boolean isSettled() {
    Set<Integer> claimedNow = claimed;
    return grid != null && published && claimedNow != null && owned().equals(claimedNow);
  }

  /** Why this member serves nothing now, if it does not: no data grid, no majority, no answer. */
  public Optional<String> problem() {
    if (!settings.isClustered()) {
      return Optional.empty();
    }
    if (grid == null) {
      return Optional.of(problem);
    }
    int seen = grid.getCluster().getMembers().size();
    if (seen < settings.quorum()) {
      return Optional.of(
          "sees "
              + seen
              + " of the cluster's "
              + settings.size()
              + " members, fewer than a majority: serves nothing until it sees "
              + settings.quorum());
    }
    if (!published
        && System.nanoTime() - joinedAt > TimeUnit.MILLISECONDS.toNanos(UNREACHABLE_MILLIS)) {
      return Optional.of(
          "does not answer at its own URL "
              + settings.advertisedUrl()
              + ": the other members could not reach it either (set LOGQUEUE_ADVERTISE_URL)");
    }
    return Optional.empty();
  }

  /** The cluster as this member sees it: members, slots held, and its own claims. */
  public View view() {
    List<MemberView> members = new ArrayList<>();
    int slots = 0;
    if (grid != null) {
      slots = grid.getPartitionService().getPartitions().size();
      Map<String, String> urls = publishedMembers();
      Map<String, Integer> shares = new HashMap<>();
      for (int slot = 0; slot < slots; slot++) {
        String owner = Rendezvous.owner(slot, urls.keySet());
        if (owner != null) {
          shares.merge(owner, 1, Integer::sum);
        }
      }
      for (Member member : grid.getCluster().getMembers()) {
        String id = member.getUuid().toString();
        members.add(
            new MemberView(
                id,
                urls.get(id),
                member.getAddress().toString(),
                member.localMember(),
                shares.getOrDefault(id, 0)));
      }
      members.sort(Comparator.comparing(m -> String.valueOf(m.url())));
    }
    Claims current = claims;
    return new View(
        settings.advertisedUrl(),
        settings.size(),
        settings.quorum(),
        slots,
        members,
        current == null ? Map.of() : current.epochs(),
        problem().orElse(null));
  }

  /** A member as this one sees it: its URL once published, and how many slots it serves. */
  public record MemberView(String id, String url, String address, boolean local, int slots) {}

  /** The cluster as this member sees it, and the slots it holds with their epochs. */
  public record View(
      String url,
      int size,
      int quorum,
      int slots,
      List<MemberView> members,
      Map<Integer, Long> held,
      String problem) {}

  /** The topic's slot (0 alone). */
  public int slotOf(TopicName topic) {
    return grid == null ? 0 : slotOf(Claims.placementKey(topic));
  }

  private String localId() {
    return grid.getCluster().getLocalMember().getUuid().toString();
  }

  /** The members of the data grid now that have published their URL: uuid to URL. */
  private Map<String, String> publishedMembers() {
    Map<String, String> published = new HashMap<>();
    for (Member member : grid.getCluster().getMembers()) {
      String id = member.getUuid().toString();
      String url = nodes.get(id);
      if (url != null) {
        published.put(id, url);
      }
    }
    return published;
  }

  /** The slots this member should serve now; none without a majority or before it publishes. */
  private Set<Integer> owned() {
    if (grid.getCluster().getMembers().size() < settings.quorum()) {
      return new TreeSet<>();
    }
    return Rendezvous.slotsOf(
        localId(), grid.getPartitionService().getPartitions().size(), publishedMembers().keySet());
  }

  /** Placement may have moved: checked once it has been still for a moment. */
  private synchronized void moved() {
    if (checks == null || checks.isShutdown()) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = checks.schedule(this::check, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes this member's URL once it answers there; tells the queue to reload if the slots this
   * member should hold are not those it claimed.
   */
  private void check() {
    try {
      if (!published && answersAtOwnUrl()) {
        published = true;
        nodes.put(localId(), settings.advertisedUrl());
        LOG.log(Level.INFO, "Serving at {0} for the cluster", settings.advertisedUrl());
      } else if (published && !settings.advertisedUrl().equals(nodes.get(localId()))) {
        // a merge after a split (the other side dropped this member) can leave it unpublished
        nodes.put(localId(), settings.advertisedUrl());
        LOG.log(Level.INFO, "Published at {0} again", settings.advertisedUrl());
      }
      Set<Integer> claimedNow = claimed;
      if (claimedNow == null) {
        return;
      }
      Set<Integer> owned = owned();
      if (owned.equals(claimedNow) || owned.equals(requested)) {
        return; // served, or being reloaded
      }
      requested = owned;
      LOG.log(
          Level.INFO,
          "Placement moved: this member holds {0} slots, should hold {1}; reloading",
          claimedNow.size(),
          owned.size());
      listeners.forEach(Runnable::run);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not check the placement", e);
    }
  }

  /**
   * Whether this broker's own URL reaches this broker's queue (any answer of it but 404 or 5xx).
   */
  private boolean answersAtOwnUrl() {
    try {
      HttpResponse<Void> answer =
          probe.send(
              HttpRequest.newBuilder(URI.create(settings.advertisedUrl() + "/status"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return answer.statusCode() != 404 && answer.statusCode() < 500;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
