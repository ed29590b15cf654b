#pragma once

// Small checks shared by the options, the MQTT client and the logs: hiding a password embedded
// in a URL, and telling early whether a TLS file can be used. See docs/security.md.

#include <QString>
#include <optional>

namespace greenpulse::core {

// `url` with the password of a user:password@ part replaced by "***" (the user name stays);
// anything else unchanged. For every log line and --print-config line that shows a URL.
QString redactUrl(const QString &url);

// Why `path` cannot serve as a PEM file of certificates (--ca-file): missing, not a file,
// unreadable, or without a "-----BEGIN" block. nullopt when it looks usable.
std::optional<QString> pemFileProblem(const QString &path);

} // namespace greenpulse::core
