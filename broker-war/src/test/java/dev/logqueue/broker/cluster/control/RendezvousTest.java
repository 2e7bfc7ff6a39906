package dev.logqueue.broker.cluster.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RendezvousTest {

  private static final int SLOTS = 271;

  private static List<String> members(int count) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(new UUID(0x1234_5678L * (i + 1), 0x9abc_def0L + i).toString());
    }
    return members;
  }

  @Test
  void everySlotHasOneOwnerAndTheShareIsEven() {
    List<String> members = members(3);
    Set<Integer> seen = new HashSet<>();
    for (String member : members) {
      Set<Integer> owned = Rendezvous.slotsOf(member, SLOTS, members);
      assertTrue(owned.size() > SLOTS / 3 * 0.7 && owned.size() < SLOTS / 3 * 1.3, "" + owned);
      for (int slot : owned) {
        assertTrue(seen.add(slot), "slot " + slot + " has two owners");
      }
    }
    assertEquals(SLOTS, seen.size());
  }

  @Test
  void aMemberThatJoinsTakesSlotsOnlyForItselfAndOneThatLeavesGivesOnlyItsOwn() {
    List<String> three = members(3);
    List<String> four = members(4);
    String joined = four.get(3);
    int moved = 0;
    for (int slot = 0; slot < SLOTS; slot++) {
      String before = Rendezvous.owner(slot, three);
      String after = Rendezvous.owner(slot, four);
      if (!before.equals(after)) {
        assertEquals(joined, after, "slot " + slot + " moved between old members");
        moved++;
      }
    }
    assertTrue(moved > SLOTS / 4 * 0.7 && moved < SLOTS / 4 * 1.3, "moved " + moved);

    List<String> two = List.of(three.get(0), three.get(2));
    for (int slot = 0; slot < SLOTS; slot++) {
      String before = Rendezvous.owner(slot, three);
      if (!before.equals(three.get(1))) {
        assertEquals(before, Rendezvous.owner(slot, two), "slot " + slot + " moved needlessly");
      }
    }
  }

  @Test
  void theAnswerDependsOnTheMembersNotTheirOrder() {
    List<String> members = members(5);
    List<String> reversed = new ArrayList<>(members);
    java.util.Collections.reverse(reversed);
    for (int slot = 0; slot < SLOTS; slot++) {
      assertEquals(Rendezvous.owner(slot, members), Rendezvous.owner(slot, reversed));
    }
    assertNull(Rendezvous.owner(7, List.of()));
    assertTrue(Rendezvous.slotsOf("stranger", SLOTS, members).isEmpty());
  }
}
