package dev.logqueue.broker.cluster.boundary;

import dev.logqueue.broker.cluster.control.Cluster;
import dev.logqueue.broker.cluster.control.Cluster.MemberView;
import dev.logqueue.broker.cluster.control.Cluster.View;
import dev.logqueue.broker.queue.control.StoreException;
import dev.logqueue.broker.queue.entity.LogQueueException;
import dev.logqueue.broker.queue.entity.Partition;
import dev.logqueue.broker.queue.entity.TopicName;
import dev.logqueue.broker.security.boundary.Guard;
import dev.logqueue.broker.store.control.ClusterTables;
import dev.logqueue.broker.store.control.ClusterTables.Slot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /cluster} (admin): the cluster as this member sees it: its members, the slots the data
 * grid gives each, and every topic with its slot, the member that claimed the slot last and the
 * slot's epoch, from the store. A single broker says it is alone.
 */
@ApplicationScoped
@Path("cluster")
public class ClusterResource {

  @Inject Cluster cluster;
  @Inject ClusterTables tables;
  @Inject Guard guard;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String view() {
    guard.admin();
    JsonObjectBuilder body = Json.createObjectBuilder().add("clustered", cluster.isClustered());
    if (!cluster.isClustered()) {
      return Json.createObjectBuilder()
          .add("status", "success")
          .add("cluster", body)
          .build()
          .toString();
    }
    View view = cluster.view();
    body.add("member", view.url())
        .add("size", view.size())
        .add("quorum", view.quorum())
        .add("slots", view.slots());
    if (view.problem() != null) {
      body.add("problem", view.problem());
    } else {
      body.addNull("problem");
    }
    JsonArrayBuilder members = Json.createArrayBuilder();
    for (MemberView member : view.members()) {
      JsonObjectBuilder one =
          Json.createObjectBuilder()
              .add("address", member.address())
              .add("local", member.local())
              .add("slots", member.slots());
      if (member.url() == null) {
        one.addNull("url");
      } else {
        one.add("url", member.url());
      }
      members.add(one);
    }
    body.add("members", members);
    body.add("held", view.held().size());
    Map<Integer, Slot> slots = new HashMap<>();
    JsonArrayBuilder topics = Json.createArrayBuilder();
    try {
      tables.slots().forEach(slot -> slots.put(slot.slot(), slot));
      for (TopicName name : tables.logNames()) {
        int slot = cluster.slotOf(name);
        Slot row = slots.get(slot);
        JsonObjectBuilder topic =
            Json.createObjectBuilder()
                .add("name", Partition.topicOf(name).value())
                .add("partition", Partition.numberOf(name))
                .add("slot", slot);
        if (row == null) {
          topic.addNull("owner").add("epoch", 0);
        } else {
          topic.add("owner", row.holder()).add("epoch", row.epoch());
        }
        topics.add(topic);
      }
    } catch (StoreException e) {
      throw LogQueueException.unavailable("The broker's database is unavailable; try again", e);
    }
    body.add("topics", topics);
    return Json.createObjectBuilder()
        .add("status", "success")
        .add("cluster", body)
        .build()
        .toString();
  }
}
