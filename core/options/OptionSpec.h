#pragma once

// One option of a GreenPulse program: its name, its kind and bounds (which validate a value from
// any layer: command line, GREENPULSE_* environment, the dashboard's settings, the config file),
// its default (as text, derived from the config struct's own default) and whether it is secret.
// The options every program shares are one table (OptionTable.h); a program adds its own with
// Options::addOption().

#include <QString>
#include <QStringList>
#include <limits>
#include <optional>

namespace greenpulse::core {

struct OptionSpec
{
    enum class Kind {
        String,
        Int,    // a whole number within [minimum, maximum]
        Double, // a finite number within [minimum, maximum]
        Bool,   // a flag: no value on the command line
        Enum,   // one of `choices` (case and surrounding blanks ignored)
        Path,   // a file or folder
        Url,    // a URL; user:password@ is masked when printed
    };

    QString name; // long name, without dashes
    Kind kind = Kind::String;
    QString valueName;    // --help only; empty for a flag
    QString description;  // --help; " [default: <defaultValue>]" is appended when not empty
    QString defaultValue; // as text
    bool secret = false;  // never logged or printed
    double minimum = 0;   // Int, Double
    double maximum = std::numeric_limits<double>::infinity();
    QStringList choices;    // Enum, in the order --help lists them
    int group = 0;          // the Options::Group it belongs to; 0: every program
    bool dashboard = false; // edited in the dashboard's settings dialog

    // Builders, so that a table row reads as what it is.
    static OptionSpec text(QString name, QString valueName, QString description,
                           QString defaultValue = {});
    static OptionSpec path(QString name, QString valueName, QString description,
                           QString defaultValue = {});
    static OptionSpec url(QString name, QString description, QString defaultValue = {});
    static OptionSpec integer(QString name, QString valueName, QString description,
                              qint64 defaultValue);
    static OptionSpec real(QString name, QString valueName, QString description,
                           double defaultValue);
    static OptionSpec oneOf(QString name, QStringList choices, QString description,
                            QString defaultValue);
    static OptionSpec flag(QString name, QString description);
    OptionSpec &range(double min, double max = std::numeric_limits<double>::infinity());
    OptionSpec &inGroup(int g);
    OptionSpec &asSecret();
    OptionSpec &onDashboard();

    bool isFlag() const { return kind == Kind::Bool; }
    bool isNumber() const { return kind == Kind::Int || kind == Kind::Double; }
    // Why `value` does not fit the kind and bounds ("must be a number from 1 to 5", "must be v1
    // or v2"); nullopt when it fits. Strings, paths, URLs and flags always fit here.
    std::optional<QString> problem(const QString &value) const;
    // The choice `value` names, as spelled in `choices`; empty when none.
    QString canonicalChoice(const QString &value) const;
    // The shortest text of a number: 0.5, 10, 512 (what --help and --print-config show).
    static QString numberText(double value);
};

} // namespace greenpulse::core
