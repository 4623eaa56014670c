/** The shared goods-and-services catalogue (CPV classification, items, offers, search). */
export {};
