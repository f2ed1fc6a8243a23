-- Registrations per source address (an IPv4 address, an IPv6 /64) and fixed window, shared by every gateway
-- replica: a limit kept in one process's memory is a limit per replica.
CREATE TABLE registration_window (
    source        TEXT        NOT NULL,
    window_start  TIMESTAMPTZ NOT NULL,
    registrations INT         NOT NULL,
    PRIMARY KEY (source, window_start)
);
CREATE INDEX registration_window_start ON registration_window (window_start);
