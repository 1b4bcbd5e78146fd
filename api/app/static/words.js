// The model's inputs in words, from the Kaggle data_description.txt: the chart and
// the warnings name a feature as a person would, not by its Kaggle column name.
"use strict";

const FEATURE_WORDS = {
  MSSubClass: "Type of dwelling",
  MSZoning: "Zoning classification",
  LotArea: "Lot size",
  LotShape: "Shape of the lot",
  LandContour: "Flatness of the lot",
  LotConfig: "Lot configuration",
  Neighborhood: "Neighbourhood",
  OverallQual: "Overall quality",
  OverallCond: "Overall condition",
  YearRemodAdd: "Years since remodelling",
  RoofStyle: "Type of roof",
  Exterior1st: "Exterior covering",
  ExterQual: "Exterior quality",
  Foundation: "Type of foundation",
  BsmtQual: "Basement height",
  BsmtExposure: "Basement walkout or garden walls",
  BsmtFinType1: "Finished basement area rating",
  HeatingQC: "Heating quality",
  CentralAir: "Central air conditioning",
  "1stFlrSF": "Ground-floor area",
  "2ndFlrSF": "Upper-floor area",
  GrLivArea: "Above-ground living area",
  BsmtFullBath: "Basement full bathrooms",
  FullBath: "Full bathrooms above ground",
  HalfBath: "Half bathrooms above ground",
  KitchenQual: "Kitchen quality",
  TotRmsAbvGrd: "Rooms above ground",
  Functional: "Home functionality",
  Fireplaces: "Fireplaces",
  FireplaceQu: "Fireplace quality",
  GarageFinish: "Garage interior",
  GarageCars: "Garage size (cars)",
  PavedDrive: "Paved driveway",
  WoodDeckSF: "Wood deck area",
  ScreenPorch: "Screen porch area",
  SaleCondition: "Condition of sale",
  YrSold: "Year sold",
};

// A feature's words; its Kaggle name if it has none here.
function featureWords(name) {
  return FEATURE_WORDS[name] || name;
}
