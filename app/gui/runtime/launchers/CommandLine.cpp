#include "runtime/launchers/CommandLine.h"

#include <QCoreApplication>

namespace greenpulse::app {

std::optional<QStringList> splitCommandLine(const QString &line, QString *error)
{
    QStringList words;
    QString word;
    bool inWord = false;
    enum { Plain, Single, Double } mode = Plain;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (mode == Single) {
            if (c == QLatin1Char('\'')) {
                mode = Plain;
            } else {
                word += c;
            }
            continue;
        }
        if (mode == Double) {
            if (c == QLatin1Char('"')) {
                mode = Plain;
            } else if (c == QLatin1Char('\\') && i + 1 < line.size() &&
                       QStringLiteral("\"\\$`").contains(line.at(i + 1))) {
                word += line.at(++i);
            } else {
                word += c;
            }
            continue;
        }
        if (c.isSpace()) {
            if (inWord) {
                words << word;
                word.clear();
                inWord = false;
            }
            continue;
        }
        inWord = true;
        if (c == QLatin1Char('\'')) {
            mode = Single;
        } else if (c == QLatin1Char('"')) {
            mode = Double;
        } else if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            word += line.at(++i);
        } else {
            word += c;
        }
    }
    if (mode != Plain) {
        if (error) {
            *error = QCoreApplication::translate("Launcher", "The command line has a %1 quote "
                                                             "that is not closed.")
                         .arg(mode == Single ? QStringLiteral("'") : QStringLiteral("\""));
        }
        return std::nullopt;
    }
    if (inWord) {
        words << word;
    }
    return words;
}

} // namespace greenpulse::app
