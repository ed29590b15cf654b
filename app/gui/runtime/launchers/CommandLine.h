#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::app {

// Splits a command line typed in the window into arguments as a POSIX shell splits words, and
// nothing more: blanks separate, '…' keeps everything literally, "…" keeps all but \" \\ \$ \`,
// a backslash outside quotes keeps the next character. No variables, globs, pipes or
// redirections: there is no shell (write sh -c '…' to have one). nullopt, with `error` set, for
// an unterminated quote.
std::optional<QStringList> splitCommandLine(const QString &line, QString *error = nullptr);

} // namespace greenpulse::app
