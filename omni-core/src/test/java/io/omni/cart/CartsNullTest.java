package io.omni.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.omni.Omni;
import io.omni.identity.Identifier;
import io.omni.identity.ProfileId;
import io.omni.journey.Order;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every public method of {@link Carts} refuses a null argument with a NullPointerException. */
final class CartsNullTest {

  @Test
  void every_carts_method_refuses_null_arguments() throws Exception {
    Omni omni = Omni.builder().handoffKey(new byte[32]).build();
    ProfileId ann = omni.identities().link("web", Identifier.email("ann@example.com"));
    Map<Class<?>, Object> valid = Map.of(
        Identifier.class, Identifier.email("ann@example.com"),
        ProfileId.class, ann,
        String.class, "web",
        LineKey.class, LineKey.of("SKU-1"),
        CartState.class, CartState.empty(),
        Duration.class, Duration.ofMinutes(1),
        Order.class, new Order("o-1", ann, "web", Instant.now(), List.of()));
    int checked = 0;
    for (Method method : Carts.class.getMethods()) {
      Class<?>[] types = method.getParameterTypes();
      for (int nullAt = 0; nullAt < types.length; nullAt++) {
        if (types[nullAt].isPrimitive()) {
          continue;
        }
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
          args[i] = i == nullAt ? null : types[i] == int.class ? 1 : valid.get(types[i]);
        }
        try {
          method.invoke(omni.carts(), args);
          fail(method + " accepted null at argument " + nullAt);
        } catch (InvocationTargetException e) {
          assertThat(e.getCause()).as(method + " with null at " + nullAt).isInstanceOf(NullPointerException.class);
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(25);
  }
}
