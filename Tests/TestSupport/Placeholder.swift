enum TSPlaceholder {}
