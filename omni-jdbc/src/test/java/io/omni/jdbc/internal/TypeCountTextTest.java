package io.omni.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omni.identity.IdentifierType;
import io.omni.jdbc.OmniStorageException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The text of {@code omni_profile.type_counts}: what it writes it reads back, and nothing else. */
final class TypeCountTextTest {
  private static final IdentifierType HANDLE = IdentifierType.of("tg-handle");
  private static final IdentifierType MEMBER = IdentifierType.of("tg_member-2");

  private static int[] counts(Object... typeAndCount) {
    int[] counts = new int[IdentifierType.count()];
    for (int k = 0; k < typeAndCount.length; k += 2) {
      counts[((IdentifierType) typeAndCount[k]).ordinal()] = (Integer) typeAndCount[k + 1];
    }
    return counts;
  }

  @Test
  void counts_are_written_in_type_name_order_without_zeros() {
    int[] counts = counts(IdentifierType.PHONE, 1, IdentifierType.EMAIL, 2, IdentifierType.COOKIE, 0, HANDLE, 12,
        MEMBER, 3);
    assertThat(TypeCountText.encode(7, counts)).isEqualTo("email=2,phone=1,tg-handle=12,tg_member-2=3");
  }

  @Test
  void no_counts_are_null_and_null_is_no_counts() {
    assertThat(TypeCountText.encode(7, new int[0])).isNull();
    assertThat(TypeCountText.encode(7, counts(IdentifierType.EMAIL, 0))).isNull();
    assertThat(TypeCountText.decode(7, null)).hasSize(IdentifierType.count()).containsOnly(0);
  }

  @Test
  void what_is_written_reads_back_for_every_type_and_count() {
    Random random = new Random(17);
    for (int run = 0; run < 500; run++) {
      int[] counts = new int[IdentifierType.count()];
      for (int o = 0; o < counts.length; o++) {
        counts[o] = random.nextInt(3) == 0 ? 0 : random.nextInt(run % 7 == 0 ? Integer.MAX_VALUE : 60);
      }
      String text = TypeCountText.encode(run, counts);
      int[] read = text == null ? new int[counts.length] : TypeCountText.decode(run, text);
      assertThat(read).as(text).startsWith(counts);
    }
  }

  @Test
  void a_type_first_seen_in_the_text_is_registered_and_counted() {
    int[] read = TypeCountText.decode(3, "zz-first-seen=4,email=1");
    assertThat(read[IdentifierType.of("zz-first-seen").ordinal()]).isEqualTo(4);
    assertThat(read[IdentifierType.EMAIL.ordinal()]).isEqualTo(1);
  }

  @Test
  void a_malformed_text_fails_naming_the_profile_the_text_and_the_rule() {
    String[][] bad = {
        {"", "'' is not type=count"},
        {"email=2,", "'' is not type=count"},
        {"email", "'email' is not type=count"},
        {"=2", "'=2' is not type=count"},
        {"Email=2", "'Email' is not a type name as written (email)"},
        {" email=2", "' email' is not a type name as written (email)"},
        {"e mail=2", "'e mail' is not a type name"},
        {"email=0", "'0' is not a count from 1 to 2147483647"},
        {"email=-1", "'-1' is not a count"},
        {"email=02", "'02' is not a count"},
        {"email=+2", "'+2' is not a count"},
        {"email=2147483648", "'2147483648' is not a count"},
        {"email=99999999999", "'99999999999' is not a count"},
        {"email=", "'' is not a count"},
        {"email=2=3", "'2=3' is not a count"},
        {"email=2;phone=1", "'2;phone=1' is not a count"},
        {"email=2,phone=1,email=1", "type email is named twice"},
    };
    for (String[] each : bad) {
      assertThatThrownBy(() -> TypeCountText.decode(42, each[0])).as(each[0])
          .isInstanceOf(OmniStorageException.class)
          .hasMessageContaining("profile p-42")
          .hasMessageContaining("omni_profile.type_counts")
          .hasMessageContaining(each[1])
          .hasMessageContaining("\"" + each[0] + "\"");
    }
  }

  @Test
  void a_negative_count_is_a_lost_write_and_is_never_stored() {
    assertThatThrownBy(() -> TypeCountText.encode(9, counts(IdentifierType.EMAIL, -1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("p-9").hasMessageContaining("-1").hasMessageContaining("email");
  }

  @Test
  void sums_add_by_ordinal_whatever_the_lengths() {
    assertThat(TypeCountText.sum(new int[] {1, 2}, new int[] {3})).containsExactly(4, 2);
    assertThat(TypeCountText.sum(null, new int[] {3})).containsExactly(3);
    assertThat(TypeCountText.sum(new int[] {1}, null)).containsExactly(1);
  }
}
