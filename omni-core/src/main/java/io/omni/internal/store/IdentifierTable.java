package io.omni.internal.store;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import java.util.Arrays;

/**
 * Identifiers interned once to dense {@code int} indexes, 0 and up in the order they were added:
 * an identifier's type ordinal, value and flags sit in parallel arrays at its index, and an
 * open-addressing {@code int[]} table (linear probing, tombstones for removed entries) finds the
 * index of a (type, value) pair with one hash probe. A removed identifier's index is not reused.
 *
 * <p>Not thread-safe: the store's lock guards it.
 */
final class IdentifierTable {
  private static final int EMPTY = 0;
  private static final int DELETED = -1;

  private int slots;
  private int live;
  private short[] typeOf = new short[16];
  private String[] valueOf = new String[16];
  private byte[] flags = new byte[16];
  private IdentifierType[] types = new IdentifierType[8];

  // (type, value) -> index + 1; EMPTY, or DELETED for a removed entry
  private int[] table = new int[32];
  private int tableFilled;

  static int hash(int typeOrdinal, String value) {
    int h = value.hashCode() * 31 + typeOrdinal;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  /** The identifier's index, or -1 if it is not in the table. */
  int indexOf(Identifier identifier) {
    int ordinal = identifier.type().ordinal();
    String value = identifier.value();
    int mask = table.length - 1;
    for (int slot = hash(ordinal, value) & mask; ; slot = (slot + 1) & mask) {
      int entry = table[slot];
      if (entry == EMPTY) {
        return -1;
      }
      if (entry > 0) {
        int index = entry - 1;
        if (typeOf[index] == ordinal && value.equals(valueOf[index])) {
          return index;
        }
      }
    }
  }

  /**
   * Adds an identifier the table does not hold and returns its index, the next unused one. One
   * probe sequence both checks that it is new and finds its slot.
   *
   * @throws IllegalStateException if the table holds it already
   */
  int add(Identifier identifier) {
    if ((tableFilled + 1) * 10 > table.length * 6) {
      rehash();
    }
    int ordinal = identifier.type().ordinal();
    String value = identifier.value();
    int mask = table.length - 1;
    int insertAt = -1;
    for (int slot = hash(ordinal, value) & mask; ; slot = (slot + 1) & mask) {
      int entry = table[slot];
      if (entry == EMPTY) {
        if (insertAt < 0) {
          insertAt = slot;
        }
        break;
      }
      if (entry == DELETED) {
        if (insertAt < 0) {
          insertAt = slot;
        }
      } else if (typeOf[entry - 1] == ordinal && value.equals(valueOf[entry - 1])) {
        throw new IllegalStateException(identifier + " is stored already");
      }
    }
    int index = slots++;
    if (index == typeOf.length) {
      int capacity = index + (index >> 1) + 8;
      typeOf = Arrays.copyOf(typeOf, capacity);
      valueOf = Arrays.copyOf(valueOf, capacity);
      flags = Arrays.copyOf(flags, capacity);
    }
    if (ordinal >= types.length) {
      types = Arrays.copyOf(types, ordinal + 8);
    }
    types[ordinal] = identifier.type();
    typeOf[index] = (short) ordinal;
    valueOf[index] = value;
    live++;
    if (table[insertAt] == EMPTY) {
      tableFilled++;
    }
    table[insertAt] = index + 1;
    return index;
  }

  /** Grows the table (or only sweeps its tombstones) to keep it at most 40 % live. */
  private void rehash() {
    int capacity = table.length;
    while (live * 10 >= capacity * 4) {
      capacity <<= 1;
    }
    int[] old = table;
    table = new int[Math.max(capacity, 32)];
    tableFilled = 0;
    int mask = table.length - 1;
    for (int entry : old) {
      if (entry > 0) {
        int index = entry - 1;
        int slot = hash(typeOf[index], valueOf[index]) & mask;
        while (table[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        table[slot] = entry;
        tableFilled++;
      }
    }
  }

  /** Removes a live identifier; its index stays used, and {@link #isLive} answers false for it. */
  void remove(int index) {
    requireLive(index);
    int mask = table.length - 1;
    for (int slot = hash(typeOf[index], valueOf[index]) & mask; ; slot = (slot + 1) & mask) {
      if (table[slot] == index + 1) {
        table[slot] = DELETED;
        break;
      }
    }
    valueOf[index] = null;
    flags[index] = 0;
    live--;
  }

  private void requireLive(int index) {
    if (!isLive(index)) {
      throw new IllegalArgumentException("no identifier at index " + index);
    }
  }

  /** Whether {@code index} holds an identifier that was not removed. */
  boolean isLive(int index) {
    return index >= 0 && index < slots && valueOf[index] != null;
  }

  /** The identifier at a live index, built anew. */
  Identifier identifier(int index) {
    requireLive(index);
    return new Identifier(types[typeOf[index]], valueOf[index]);
  }

  /** The type ordinal of the identifier at {@code index}. */
  int typeOrdinal(int index) {
    return typeOf[index];
  }

  /** The flags byte of the identifier at {@code index} (the store gives the bits their meaning). */
  byte flags(int index) {
    return flags[index];
  }

  /** Sets the flags byte of a live identifier. */
  void flags(int index, byte value) {
    requireLive(index);
    flags[index] = value;
  }

  /** How many indexes were handed out, removed ones included. */
  int slots() {
    return slots;
  }

  /** How many identifiers the table holds. */
  int live() {
    return live;
  }

  /** One more than the highest type ordinal seen. */
  int typeCount() {
    return types.length;
  }
}
