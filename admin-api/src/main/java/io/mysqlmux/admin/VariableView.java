package io.mysqlmux.admin;

/**
 * A runtime setting as {@code SHOW VARIABLES} lists it.
 *
 * @param name        the configuration key below {@code mysqlmux.}, e.g. {@code pool.max_size}
 * @param value       current value as text (durations like {@code 10s})
 * @param dynamic     whether {@code SET} may change it at run time
 * @param description one line from reference.conf
 */
public record VariableView(String name, String value, boolean dynamic, String description) {
}
