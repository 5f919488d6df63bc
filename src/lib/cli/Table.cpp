#include "cli/Table.h"

#include <cstdio>

#include "cli/Command.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::cli {

ParamHelp outputFormatParam() {
    return {"output-format",
            "text (an aligned table) or json (an array of objects with stable keys)", "text",
            false};
}

OutputFormat parseOutputFormat(const std::string& text) {
    if (text.empty() || text == "text") {
        return OutputFormat::Text;
    }
    if (text == "json") {
        return OutputFormat::Json;
    }
    throw Error("output-format must be text or json, not '" + text + "'");
}

std::string jsonEscape(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

Table::Table(std::vector<Column> columns, bool keyed)
    : columns_(std::move(columns)), keyed_(keyed) {}

void Table::addRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    for (auto& c : cells) {
        cells_.push_back(std::move(c));
    }
}

void Table::render(std::ostream& out, OutputFormat format) const {
    if (format == OutputFormat::Json) {
        renderJson(out);
    } else {
        renderText(out);
    }
}

void Table::renderText(std::ostream& out) const {
    std::vector<std::size_t> widths(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        widths[c] = columns_[c].header.size();
    }
    const std::size_t nrows = rows();
    for (std::size_t r = 0; r < nrows; ++r) {
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            widths[c] = std::max(widths[c], cell(r, c).size() + (c == 0 && keyed_ ? 1 : 0));
        }
    }
    std::string line;
    auto emit = [&](auto cellAt, bool header) {
        line.clear();
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const std::string& text = cellAt(c);
            std::size_t width = text.size();
            line += text;
            if (c == 0 && keyed_ && !header) {
                line += ':';
                ++width;
            }
            if (c + 1 < columns_.size()) {
                line.append(widths[c] - width + 1, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        line += '\n';
        out << line;
    };
    std::vector<std::string> headers;
    headers.reserve(columns_.size());
    for (const auto& col : columns_) {
        headers.push_back(toUpper(col.header));
    }
    emit([&](std::size_t c) -> const std::string& { return headers[c]; }, true);
    for (std::size_t r = 0; r < nrows; ++r) {
        emit([&](std::size_t c) -> const std::string& { return cell(r, c); }, false);
    }
}

void Table::renderJson(std::ostream& out) const {
    std::vector<std::string> keys;
    keys.reserve(columns_.size());
    for (const auto& col : columns_) {
        std::string key = toLower(col.header);
        for (char& ch : key) {
            if (ch == ' ' || ch == '-') {
                ch = '_';
            }
        }
        keys.push_back("\"" + jsonEscape(key) + "\":");
    }
    out << '[';
    const std::size_t nrows = rows();
    for (std::size_t r = 0; r < nrows; ++r) {
        out << (r == 0 ? "\n  {" : ",\n  {");
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (c != 0) {
                out << ", ";
            }
            out << keys[c];
            const std::string& text = cell(r, c);
            if (columns_[c].kind == Kind::Number) {
                bool numeric =
                    !text.empty() && text.find_first_not_of("0123456789.-") == std::string::npos;
                out << (numeric ? text : std::string("null"));
            } else {
                out << '"' << jsonEscape(text) << '"';
            }
        }
        out << '}';
    }
    out << (nrows == 0 ? "]\n" : "\n]\n");
}

}  // namespace vcluster::cli
