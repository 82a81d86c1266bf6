package io.mysqlmux.protocol.response;

/** What one server packet is, as {@link ResponseTracker} classified it. */
public enum PacketKind {
    /** An OK that is a whole result (not a result-set terminator). */
    OK,
    /** An ERR: always the end of the response. */
    ERR,
    /** MariaDB progress report (0xFF with code 0xFFFF): the response goes on. */
    PROGRESS,
    /** 0xFB + file name: the client must now send the file (LOAD DATA LOCAL INFILE). */
    LOCAL_INFILE_REQUEST,
    /** The column count that opens a result set. */
    COLUMN_COUNT,
    /** PREPARE_OK: statement id, column and parameter counts. */
    PREPARE_OK,
    /** A column or parameter definition that is not the last of its block. */
    DEFINITION,
    /**
     * The last definition of a block. A peer without CLIENT_DEPRECATE_EOF expects an EOF after it;
     * when the server side negotiated DEPRECATE_EOF there is none, so this is where one is inserted.
     */
    LAST_DEFINITION,
    /** The classic EOF after a block of definitions (server side without DEPRECATE_EOF). */
    METADATA_EOF,
    /** A text or binary row. */
    ROW,
    /** The EOF, or the 0xFE OK under DEPRECATE_EOF, that ends rows or field definitions or answers COM_SET_OPTION. */
    TERMINATOR,
    /** The single plain-text packet answering COM_STATISTICS. */
    STATISTICS,
    /** A further chunk of a logical packet longer than 0xFFFFFE bytes (the previous frame was full). */
    CONTINUATION
}
