package io.omni.jdbc;

import java.lang.reflect.Modifier;
import java.sql.SQLException;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.opentest4j.TestAbortedException;

/**
 * What {@link FreshDatabase} does for JUnit tests, for jqwik properties: a {@link
 * RefusedInputContract} on a server that cannot be reached is skipped, naming it, or fails under
 * {@code CI=true} (see {@link TestDatabase}). jqwik reports an aborted {@code @BeforeProperty} as
 * an error, so the server is tried once here, before the container runs.
 */
final class SkipUnreachableDatabase implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    if (!(context instanceof ContainerLifecycleContext)) {
      return SkipResult.doNotSkip();
    }
    Class<?> container = context.optionalContainerClass().orElse(null);
    if (container == null || Modifier.isAbstract(container.getModifiers())
        || !RefusedInputContract.class.isAssignableFrom(container)) {
      return SkipResult.doNotSkip();
    }
    Dialect dialect = ((RefusedInputContract) context.newInstance(container)).dialect();
    try (TestDatabase probe = TestDatabase.create(dialect)) {
      return SkipResult.doNotSkip();
    } catch (TestAbortedException e) {
      return SkipResult.skip(e.getMessage());
    } catch (SQLException e) {
      throw new AssertionError("dropping the probe database on " + dialect + " failed", e);
    }
  }
}
