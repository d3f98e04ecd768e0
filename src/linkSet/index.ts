/** The TrackingLinkSet room: the component and the data file it reads. Only re-exports. */
export { TrackingLinkSet, type TrackingLinkSetArgs } from "./trackingLinkSet";
export { LinkSetFileError, type LinkSpec, type LinkSetData, type LinkSetProblem } from "./file";
