package io.omni.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.Identifier;
import io.omni.identity.IdentifierType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The identifier table alone: interning, lookups through growth and tombstones, flags. */
final class IdentifierTableTest {
  private static final IdentifierType[] TYPES = {IdentifierType.DEVICE, IdentifierType.COOKIE,
      IdentifierType.ACCOUNT, IdentifierType.of("b2b_seat")};

  private static Identifier id(int k) {
    return Identifier.of(TYPES[k % TYPES.length], "v" + (k / TYPES.length));
  }

  @Test
  void interns_in_order_and_finds_by_type_and_value() {
    IdentifierTable table = new IdentifierTable();
    assertThat(table.add(Identifier.cookie("x"))).isZero();
    assertThat(table.add(Identifier.account("x"))).isEqualTo(1); // same value, another type
    assertThat(table.indexOf(Identifier.account("x"))).isEqualTo(1);
    assertThat(table.indexOf(Identifier.device("x"))).isEqualTo(-1);
    assertThat(table.identifier(1)).isEqualTo(Identifier.account("x"));
    assertThat(table.typeOrdinal(0)).isEqualTo(IdentifierType.COOKIE.ordinal());
    assertThat(table.typeCount()).isGreaterThan(IdentifierType.ACCOUNT.ordinal());
    assertThatThrownBy(() -> table.add(Identifier.cookie("x"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cookie");
  }

  @Test
  void a_removed_identifier_is_gone_its_index_is_not_reused_and_it_can_come_back() {
    IdentifierTable table = new IdentifierTable();
    for (int k = 0; k < 1000; k++) {
      table.add(id(k));
    }
    table.flags(7, (byte) 3);
    table.remove(7);
    assertThat(table.isLive(7)).isFalse();
    assertThat(table.indexOf(id(7))).isEqualTo(-1);
    assertThat(table.live()).isEqualTo(999);
    assertThatThrownBy(() -> table.identifier(7)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.remove(7)).isInstanceOf(IllegalArgumentException.class);
    assertThat(table.add(id(7))).isEqualTo(1000);
    assertThat(table.flags(1000)).isZero();
    assertThat(table.indexOf(id(8))).isEqualTo(8);
    assertThat(table.slots()).isEqualTo(1001);
  }

  /** Random adds and removes against a map: every lookup agrees, through rehashes and tombstones. */
  @Property(tries = 200)
  void agrees_with_a_map(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 299) Integer> ops) {
    IdentifierTable table = new IdentifierTable();
    Map<Identifier, Integer> model = new HashMap<>();
    for (int op : ops) {
      Identifier id = id(op % 150);
      if (op < 150 || !model.containsKey(id)) {
        if (!model.containsKey(id)) {
          model.put(id, table.add(id));
        }
      } else {
        table.remove(model.remove(id));
      }
    }
    assertThat(table.live()).isEqualTo(model.size());
    for (int k = 0; k < 150; k++) {
      Identifier id = id(k);
      assertThat(table.indexOf(id)).isEqualTo(model.getOrDefault(id, -1));
      if (model.containsKey(id)) {
        assertThat(table.identifier(model.get(id))).isEqualTo(id);
      }
    }
  }
}
