package io.mysqlmux.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(EmbeddedMariaDbExtension.class)}: makes sure the JVM's shared
 * {@link EmbeddedMariaDb} is running before the class's tests (so its start-up time is not charged
 * to the first test's timeout) and injects it into constructors, lifecycle methods and tests that
 * declare an {@code EmbeddedMariaDb} parameter.
 */
public final class EmbeddedMariaDbExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedMariaDb.shared();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedMariaDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return EmbeddedMariaDb.shared();
    }
}
