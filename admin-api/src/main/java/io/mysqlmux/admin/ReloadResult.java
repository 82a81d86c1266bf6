package io.mysqlmux.admin;

import java.util.List;

/**
 * What {@code RELOAD} did.
 *
 * @param applied        settings changed live, as {@code name: old -> new}
 * @param needRestart    settings that changed in the file but only take effect after a restart
 */
public record ReloadResult(List<String> applied, List<String> needRestart) {
}
