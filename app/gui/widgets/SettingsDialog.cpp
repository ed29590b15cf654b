#include "widgets/SettingsDialog.h"

#include "options/OptionNames.h"
#include "options/Options.h"
#include "runtime/GuiSettings.h"
#include "widgets/LauncherSettingsBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace greenpulse::app {

namespace {

// How an option looks in the dialog (label, placeholder, spin box format). Which options appear,
// their kinds, bounds and choices come from the option table (core/options/OptionTable.cpp).
struct FieldLook
{
    QLatin1String option;
    const char *label;
    const char *hint = "";
    int decimals = 2;
    double step = 1;
    const char *suffix = "";
};

const FieldLook kLooks[] = {
    {core::opt::kBroker, QT_TRANSLATE_NOOP("SettingsDialog", "Broker URL"),
     QT_TRANSLATE_NOOP("SettingsDialog", "tcp://host:1883, or ssl://host:8883 for TLS")},
    {core::opt::kClientId, QT_TRANSLATE_NOOP("SettingsDialog", "Client id"),
     QT_TRANSLATE_NOOP("SettingsDialog", "Default: %1-<this host> (-2… for another instance)")},
    {core::opt::kUsername, QT_TRANSLATE_NOOP("SettingsDialog", "User name")},
    {core::opt::kPassword, QT_TRANSLATE_NOOP("SettingsDialog", "Password")},
    {core::opt::kCaFile, QT_TRANSLATE_NOOP("SettingsDialog", "TLS CA file"),
     QT_TRANSLATE_NOOP("SettingsDialog", "PEM certificate; enables TLS")},
    {core::opt::kInfluxUrl, QT_TRANSLATE_NOOP("SettingsDialog", "URL"),
     QT_TRANSLATE_NOOP("SettingsDialog", "http://127.0.0.1:8086")},
    {core::opt::kInfluxApi, QT_TRANSLATE_NOOP("SettingsDialog", "API")},
    {core::opt::kInfluxOrg, QT_TRANSLATE_NOOP("SettingsDialog", "Organisation (v2)")},
    {core::opt::kInfluxBucket, QT_TRANSLATE_NOOP("SettingsDialog", "Bucket (v2)")},
    {core::opt::kInfluxDb, QT_TRANSLATE_NOOP("SettingsDialog", "Database (v1)")},
    {core::opt::kInfluxToken, QT_TRANSLATE_NOOP("SettingsDialog", "Token (v2)")},
    {core::opt::kInfluxUser, QT_TRANSLATE_NOOP("SettingsDialog", "User (v1)")},
    {core::opt::kInfluxPassword, QT_TRANSLATE_NOOP("SettingsDialog", "Password (v1)")},
    {core::opt::kCarbonIntensity, QT_TRANSLATE_NOOP("SettingsDialog", "Carbon intensity"), "", 3,
     0.01, QT_TRANSLATE_NOOP("SettingsDialog", " kg CO₂e/kWh")},
    {core::opt::kPue, QT_TRANSLATE_NOOP("SettingsDialog", "PUE"), "", 2, 0.05},
    {core::opt::kMaxGapS, QT_TRANSLATE_NOOP("SettingsDialog", "Maximum gap"), "", 1, 1,
     QT_TRANSLATE_NOOP("SettingsDialog", " s")},
    {core::opt::kFollow, QT_TRANSLATE_NOOP("SettingsDialog", "Follow processor"),
     QT_TRANSLATE_NOOP("SettingsDialog", "Empty: this window's own processor")},
};

const FieldLook &look(const QString &option)
{
    for (const FieldLook &l : kLooks) {
        if (option == l.option) {
            return l;
        }
    }
    static const FieldLook plain{QLatin1String(), ""};
    return plain;
}

// What the API combo box shows for each choice.
QString choiceLabel(const QString &option, const QString &choice)
{
    if (option == core::opt::kInfluxApi) {
        if (choice == QLatin1String("v1")) {
            return SettingsDialog::tr("v1 (/write)");
        }
        if (choice == QLatin1String("v2")) {
            return SettingsDialog::tr("v2 (/api/v2/write)");
        }
    }
    return choice;
}

} // namespace

SettingsDialog::SettingsDialog(GuiSettings &settings, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("GreenPulse settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    m_influxWriting = new QCheckBox(tr("Write points to InfluxDB"));
    m_initialWriting = m_settings.influxWritingEnabled();
    m_influxWriting->setChecked(m_initialWriting);

    auto *note = new QLabel(tr("Changes apply at once, without a restart. Values given on the "
                               "command line or as GREENPULSE_* environment variables win and "
                               "are shown read-only."));
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply && close"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(group(tr("MQTT broker"), core::Options::Mqtt));
    left->addWidget(group(tr("Accounting"), core::Options::Ledger));
    m_launcher = new LauncherSettingsBox(m_settings);
    left->addWidget(m_launcher);
    // Follow mode (docs/dashboard.md): a change reopens the window on the other back end.
    left->addWidget(group(tr("Ledger shown (the window reopens)"), core::Options::Follow));
    left->addStretch();
    columns->addLayout(left);
    columns->addWidget(group(tr("InfluxDB"), core::Options::Influx, m_influxWriting));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(columns);
    layout->addWidget(buttons);

    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        m_initial.insert(it.key(), fieldText(it.key()));
    }
    if (auto *api = qobject_cast<QComboBox *>(m_fields.value(core::opt::kInfluxApi))) {
        connect(api, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateApiFields);
    }
    updateApiFields();
}

void SettingsDialog::updateApiFields()
{
    // Only the chosen API's fields are used: the other API's are greyed (their values are kept).
    const bool v2 = fieldText(core::opt::kInfluxApi) == QLatin1String("v2");
    const QLatin1String v2Fields[] = {core::opt::kInfluxOrg, core::opt::kInfluxBucket,
                                      core::opt::kInfluxToken};
    const QLatin1String v1Fields[] = {core::opt::kInfluxDb, core::opt::kInfluxUser,
                                      core::opt::kInfluxPassword};
    auto enable = [this](QLatin1String option, bool on) {
        if (QWidget *w = m_fields.value(option); w && !m_settings.overridden(option)) {
            w->setEnabled(on);
        }
    };
    for (QLatin1String option : v2Fields) {
        enable(option, v2);
    }
    for (QLatin1String option : v1Fields) {
        enable(option, !v2);
    }
}

QWidget *SettingsDialog::group(const QString &title, int optionGroup, QWidget *extra)
{
    auto *box = new QGroupBox(title);
    auto *form = new QFormLayout(box);
    if (extra) {
        form->addRow(extra);
    }
    for (const QString &option : m_settings.editableOptions()) {
        const core::OptionSpec *row = m_settings.spec(option);
        if (!row || row->group != optionGroup) {
            continue;
        }
        QWidget *field = makeField(*row, box);
        const char *label = look(option).label;
        form->addRow(*label ? tr(label) : option, field);
    }
    return box;
}

QWidget *SettingsDialog::makeField(const core::OptionSpec &row, QWidget *parent)
{
    const QString &option = row.name;
    const QString value = m_settings.effective(option);
    const FieldLook &fl = look(option);
    QWidget *widget = nullptr;
    QWidget *editor = nullptr;
    if (row.kind == core::OptionSpec::Kind::Enum) {
        auto *box = new QComboBox(parent);
        for (const QString &choice : row.choices) {
            box->addItem(choiceLabel(option, choice), choice);
        }
        box->setCurrentIndex(qMax(0, box->findData(row.canonicalChoice(value))));
        widget = editor = box;
    } else if (row.isNumber()) {
        // The table's bounds; an open upper bound still needs a number for the spin box.
        const double kWidest = 1e9;
        auto *spin = new QDoubleSpinBox(parent);
        spin->setDecimals(row.kind == core::OptionSpec::Kind::Int ? 0 : fl.decimals);
        spin->setRange(row.minimum, qMin(row.maximum, kWidest));
        spin->setSingleStep(fl.step);
        if (*fl.suffix) {
            spin->setSuffix(tr(fl.suffix));
        }
        spin->setValue(value.toDouble());
        widget = editor = spin;
    } else {
        auto *line = new QLineEdit(value, parent);
        if (row.secret) {
            line->setEchoMode(QLineEdit::Password);
        }
        if (*fl.hint) {
            QString hint = tr(fl.hint);
            if (hint.contains(QLatin1String("%1"))) {
                // The program, as in the default client id <program>-<host> (Options).
                hint = hint.arg(m_settings.options().programName());
            }
            line->setPlaceholderText(hint);
        }
        line->setMinimumWidth(260);
        editor = line;
        widget = line;
        if (row.kind == core::OptionSpec::Kind::Path) {
            widget = withBrowseButton(line, parent);
        }
    }
    editor->setObjectName(option);
    m_fields.insert(option, editor);
    const QString source = m_settings.source(option);
    if (m_settings.overridden(option)) {
        widget->setEnabled(false);
        widget->setToolTip(
            tr("Set by the %1 (--%2), which wins over these settings").arg(source, option));
    } else {
        widget->setToolTip(tr("Now from: %1").arg(source));
    }
    return widget;
}

QWidget *SettingsDialog::withBrowseButton(QLineEdit *line, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(tr("Browse…"), row);
    connect(browse, &QPushButton::clicked, this, [this, line] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"), line->text(),
                                                          tr("PEM files (*.pem *.crt);;All (*)"));
        if (!file.isEmpty()) {
            line->setText(file);
        }
    });
    line->setParent(row);
    h->addWidget(line);
    h->addWidget(browse);
    return row;
}

void SettingsDialog::setFieldText(const QString &option, const QString &text)
{
    QWidget *w = m_fields.value(option);
    if (auto *line = qobject_cast<QLineEdit *>(w)) {
        line->setText(text);
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
        spin->setValue(text.toDouble());
    } else if (auto *box = qobject_cast<QComboBox *>(w)) {
        box->setCurrentIndex(qMax(0, box->findData(text)));
    }
}

QString SettingsDialog::fieldText(const QString &option) const
{
    QWidget *w = m_fields.value(option);
    if (auto *line = qobject_cast<QLineEdit *>(w)) {
        return line->text().trimmed();
    }
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
        return QString::number(spin->value(), 'g', 10);
    }
    if (auto *box = qobject_cast<QComboBox *>(w)) {
        return box->currentData().toString();
    }
    return {};
}

bool SettingsDialog::save()
{
    bool changed = false;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const QString text = fieldText(it.key());
        if (m_settings.overridden(it.key()) || text == m_initial.value(it.key())) {
            continue;
        }
        m_settings.setStored(it.key(), text);
        changed = true;
    }
    if (m_influxWriting->isChecked() != m_initialWriting) {
        m_settings.setInfluxWritingEnabled(m_influxWriting->isChecked());
        changed = true;
    }
    changed = m_launcher->save() || changed;
    m_settings.sync();
    return changed;
}

} // namespace greenpulse::app
