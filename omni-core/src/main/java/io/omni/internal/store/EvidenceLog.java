package io.omni.internal.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence appended column-wise, one record per link: its time, channel number and event id in
 * parallel arrays, and its identifiers as {@link IdentifierTable} indexes appended to one {@code
 * int} column of occurrences (an index, or its complement {@code ~index} when the link did not
 * accept it). Each occurrence is threaded into a per-identifier list, so that the evidence of a
 * profile is found from its members without a scan. Records are numbered 0 and up (a store's
 * sequence is the number plus one); a removed record keeps its number.
 *
 * <p>Appending a record allocates nothing beyond the columns' growth. Not thread-safe: the store's
 * lock guards it.
 */
final class EvidenceLog {
  private int count;
  private int live;
  private int[] start = new int[17];
  private long[] atMillis = new long[16];
  private short[] channel = new short[16];
  // per record, allocated with the first event id: links without one (link(channel, ...)) keep none
  private String[] eventId;
  private final BitSet removed = new BitSet();

  private int occurrences;
  private int[] occurrence = new int[32];
  private int[] occurrenceNext = new int[32];
  private int[] headOf = new int[16]; // per identifier index: its latest occurrence + 1, 0 for none

  private final List<String> channels = new ArrayList<>();
  private final Map<String, Integer> channelIndex = new HashMap<>();
  private String lastChannel;
  private int lastChannelNumber;
  private final Map<String, Integer> byEventId = new HashMap<>();

  /**
   * Appends a record and returns its number.
   *
   * @param eventId the caller's event id, or {@code null}
   * @param identifiers identifier indexes, at most 64; bit {@code k} of {@code accepted} for the
   *     {@code k}-th
   * @throws IllegalStateException if a live record holds this event id already
   */
  int append(String eventId, String channel, long atMillis, int[] identifiers, long accepted) {
    return append(eventId, channel, atMillis, identifiers, identifiers.length, accepted);
  }

  /**
   * {@link #append(String, String, long, int[], long)} with the first {@code size} entries of
   * {@code identifiers}: the store passes an array it reuses from link to link.
   */
  int append(String eventId, String channel, long atMillis, int[] identifiers, int size, long accepted) {
    if (eventId != null && byEventId.containsKey(eventId)) {
      throw new IllegalStateException("event " + eventId + " is recorded already");
    }
    int e = count;
    if (e == this.atMillis.length) {
      int capacity = e + (e >> 1) + 8;
      this.atMillis = Arrays.copyOf(this.atMillis, capacity);
      this.channel = Arrays.copyOf(this.channel, capacity);
      if (this.eventId != null) {
        this.eventId = Arrays.copyOf(this.eventId, capacity);
      }
      start = Arrays.copyOf(start, capacity + 1);
    }
    int needed = occurrences + size;
    if (needed > occurrence.length) {
      int capacity = Math.max(needed, occurrence.length + (occurrence.length >> 1));
      occurrence = Arrays.copyOf(occurrence, capacity);
      occurrenceNext = Arrays.copyOf(occurrenceNext, capacity);
    }
    start[e] = occurrences;
    for (int k = 0; k < size; k++) {
      int index = identifiers[k];
      if (index >= headOf.length) {
        headOf = Arrays.copyOf(headOf, Math.max(index + 1, headOf.length + (headOf.length >> 1)));
      }
      int o = occurrences++;
      occurrence[o] = (accepted & (1L << k)) != 0 ? index : ~index;
      occurrenceNext[o] = headOf[index] - 1;
      headOf[index] = o + 1;
    }
    start[e + 1] = occurrences;
    this.atMillis[e] = atMillis;
    this.channel[e] = (short) channelNumber(channel);
    if (eventId != null) {
      if (this.eventId == null) {
        this.eventId = new String[this.atMillis.length];
      }
      this.eventId[e] = eventId;
      byEventId.put(eventId, e);
    }
    count++;
    live++;
    return e;
  }

  private int channelNumber(String name) {
    if (name == lastChannel) { // most links of a run come from one channel
      return lastChannelNumber;
    }
    Integer known = channelIndex.get(name);
    int n;
    if (known != null) {
      n = known;
    } else {
      n = channels.size();
      if (n > Short.MAX_VALUE) {
        throw new IllegalStateException("more than " + Short.MAX_VALUE + " channels");
      }
      channels.add(name);
      channelIndex.put(name, n);
    }
    lastChannel = name;
    lastChannelNumber = n;
    return n;
  }

  /** The number of the live record with this event id, or -1. */
  int byEventId(String eventId) {
    Integer e = byEventId.get(eventId);
    return e == null ? -1 : e;
  }

  /**
   * The number of a live record.
   *
   * @throws IllegalArgumentException if there is none with this number
   */
  int requireLive(long number) {
    if (number < 0 || number >= count || removed.get((int) number)) {
      throw new IllegalArgumentException("no evidence with sequence " + (number + 1));
    }
    return (int) number;
  }

  /** Whether record {@code e} was appended and not removed. */
  boolean isLive(int e) {
    return e >= 0 && e < count && !removed.get(e);
  }

  /** Removes a record: its event id is free again; its number is not reused. */
  void remove(int e) {
    requireLive(e);
    removed.set(e);
    if (eventId != null && eventId[e] != null) {
      byEventId.remove(eventId[e]);
      eventId[e] = null;
    }
    live--;
  }

  /** Replaces which identifiers of record {@code e} were accepted. */
  void setAccepted(int e, long accepted) {
    requireLive(e);
    for (int o = start[e]; o < start[e + 1]; o++) {
      int index = occurrence[o] >= 0 ? occurrence[o] : ~occurrence[o];
      occurrence[o] = (accepted & (1L << (o - start[e]))) != 0 ? index : ~index;
    }
  }

  /** Forgets every occurrence of an identifier in the per-identifier lists (it was removed). */
  void forgetIdentifier(int index) {
    if (index < headOf.length) {
      headOf[index] = 0;
    }
  }

  /** Sets in {@code into} the numbers of the live records that hold identifier {@code index}. */
  void recordsOf(int index, BitSet into) {
    if (index >= headOf.length) {
      return;
    }
    for (int o = headOf[index] - 1; o >= 0; o = occurrenceNext[o]) {
      int e = recordOf(o);
      if (!removed.get(e)) {
        into.set(e);
      }
    }
  }

  private int recordOf(int o) {
    // starts are strictly increasing (a record is never empty): o is a start, or inside the one before
    int e = Arrays.binarySearch(start, 0, count + 1, o);
    return e >= 0 ? e : -e - 2;
  }

  /** How many identifiers record {@code e} holds. */
  int size(int e) {
    return start[e + 1] - start[e];
  }

  /** The index of the {@code k}-th identifier of record {@code e}. */
  int identifier(int e, int k) {
    int o = occurrence[start[e] + k];
    return o >= 0 ? o : ~o;
  }

  /** The accepted bits of record {@code e}. */
  long accepted(int e) {
    long accepted = 0;
    for (int o = start[e]; o < start[e + 1]; o++) {
      if (occurrence[o] >= 0) {
        accepted |= 1L << (o - start[e]);
      }
    }
    return accepted;
  }

  long atMillis(int e) {
    return atMillis[e];
  }

  String channel(int e) {
    return channels.get(channel[e]);
  }

  /** The record's event id, or {@code null} when none was given (or it was removed). */
  String eventId(int e) {
    return eventId == null ? null : eventId[e];
  }

  /** How many records were appended, removed ones included. */
  int count() {
    return count;
  }

  /** How many records are live. */
  int live() {
    return live;
  }
}
