/* placeholder while the module is being written */
typedef int om_placeholder_text;
