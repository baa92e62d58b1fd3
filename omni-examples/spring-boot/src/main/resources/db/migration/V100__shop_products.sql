-- The shop's own table, beside Omni's: product names for what Omni knows by SKU.
CREATE TABLE shop_product (
  sku  VARCHAR(128) NOT NULL PRIMARY KEY,
  name VARCHAR(255) NOT NULL
);
INSERT INTO shop_product (sku, name) VALUES ('SKU-1', 'Espresso machine'), ('SKU-2', 'Milk jug');
