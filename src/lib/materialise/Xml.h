#pragma once

#include <libxml/tree.h>

#include <string>

namespace vcluster::materialise {

// A libxml2 document being built from typed data. Text and attribute values
// are escaped by libxml2, never by hand.
class XmlDocument {
  public:
    explicit XmlDocument(const char* rootName);
    ~XmlDocument();
    XmlDocument(const XmlDocument&) = delete;
    XmlDocument& operator=(const XmlDocument&) = delete;

    xmlNodePtr root() const { return root_; }
    static xmlNodePtr child(xmlNodePtr parent, const char* name, const std::string& text = "");
    static void attr(xmlNodePtr node, const char* name, const std::string& value);
    // Indented, with the XML declaration unless `declaration` is false.
    std::string str(bool declaration = true) const;

  private:
    xmlDocPtr doc_;
    xmlNodePtr root_;
};

}  // namespace vcluster::materialise
